"""What a database's catalog says about its MLflow schema, to compare two databases part by part.

PostgreSQL: columns, constraints, indexes, sequences, enums and triggers from the catalog.
SQLite: columns, indexes and foreign keys from the pragmas, and each statement in sqlite_master as a
sorted list of its lines (MLflow's table copies on SQLite list a table's CHECK constraints in no
fixed order, so two databases MLflow made can differ in that order alone).
Our own indexes (tracking_server_*) are left out: they come on top of MLflow's schema.
"""

from __future__ import annotations

import sqlite3

from helpers import _pg_admin_conninfo

OWN_PREFIX = "tracking_server_"


def catalog(uri: str) -> dict:
    return _sqlite(_sqlite_path(uri)) if uri.startswith("sqlite") else _postgres(_pg_admin_conninfo(uri))


def own_indexes(uri: str) -> list[str]:
    """The names of our own indexes in the database."""
    if uri.startswith("sqlite"):
        with sqlite3.connect(_sqlite_path(uri)) as conn:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?",
                                (OWN_PREFIX + "%",)).fetchall()
        return sorted(r[0] for r in rows)
    import psycopg
    with psycopg.connect(_pg_admin_conninfo(uri)) as conn:
        rows = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE %s",
                            (OWN_PREFIX + "%",)).fetchall()
    return sorted(r[0] for r in rows)


def differences(ours: dict, theirs: dict) -> dict:
    """Per part, what is missing from ours and what is extra in ours (empty when identical)."""
    found = {}
    for part in sorted(set(ours) | set(theirs)):
        missing = sorted(set(theirs.get(part, [])) - set(ours.get(part, [])), key=repr)
        extra = sorted(set(ours.get(part, [])) - set(theirs.get(part, [])), key=repr)
        if missing or extra:
            found[part] = {"missing": missing[:5], "extra": extra[:5]}
    return found


def _sqlite_path(uri: str) -> str:
    return uri[len("sqlite:///"):]


def _sqlite(path: str) -> dict:
    with sqlite3.connect(path) as conn:
        objects = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE ? "
            "ORDER BY name", (OWN_PREFIX + "%",)).fetchall()
        tables = [name for kind, name, _, _ in objects if kind == "table"]
        columns, indexes, foreign_keys = [], [], []
        for table in tables:
            for cid, name, type_, notnull, default, pk, hidden in conn.execute(f'PRAGMA table_xinfo("{table}")'):
                columns.append((table, cid, name, type_, notnull, default, pk, hidden))
            for _, index, unique, origin, partial in conn.execute(f'PRAGMA index_list("{table}")'):
                if index.startswith(OWN_PREFIX):
                    continue
                cols = tuple(r[2] for r in conn.execute(f'PRAGMA index_xinfo("{index}")') if r[5])
                # the names of automatic indexes follow the order constraints are listed in
                name = index if origin == "c" else f"({origin})"
                indexes.append((table, name, unique, origin, partial, cols))
            for _, seq, ref, src, dst, on_update, on_delete, match in conn.execute(f'PRAGMA foreign_key_list("{table}")'):
                foreign_keys.append((table, seq, ref, src, dst, on_update, on_delete, match))
        statements = [(kind, name, tuple(sorted(line.strip().rstrip(",").strip() for line in sql.splitlines())))
                      for kind, name, _, sql in objects]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return {"columns": columns, "indexes": indexes, "foreign_keys": foreign_keys, "statements": statements,
            "revision": revision}


def _postgres(conninfo: str) -> dict:
    import psycopg
    with psycopg.connect(conninfo) as conn:
        columns = conn.execute(
            """SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,
                      coalesce(column_default, '')
               FROM information_schema.columns WHERE table_schema = 'public'
               ORDER BY table_name, column_name""").fetchall()
        constraints = conn.execute(
            """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2""").fetchall()
        indexes = conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE %s "
            "ORDER BY 1, 2", (OWN_PREFIX + "%",)).fetchall()
        sequences = conn.execute(
            "SELECT sequence_name, data_type FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1"
        ).fetchall()
        enums = conn.execute(
            """SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
               ORDER BY t.typname, e.enumsortorder""").fetchall()
        triggers = conn.execute(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1").fetchall()
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return {"columns": columns, "constraints": constraints, "indexes": indexes, "sequences": sequences,
            "enums": enums, "triggers": triggers, "revision": revision}
