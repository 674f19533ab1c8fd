"""Schema revisions against MLflow itself: the schema a new database gets, and the move of a 3.17.2
database to 3.18.0's head by `mlflow db upgrade` and by ours, on the suite's backend.

Needs an mlflow==3.18.0 executable in E2E_MLFLOW318_BIN (skipped without); the 3.17.2 databases are
made by the suite's own mlflow (e2e/requirements.txt). Our server's tests only (they run our binary).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid

import pytest

from helpers import (Rest, _backend_uri_for, _ours_bin, _pg_admin_conninfo, backend_kind, create_backend, drop_backend,
                     is_ours, mlflow318_bin, start_server)
from schema_catalog import catalog, differences, own_indexes

OLDEST_REVISION = "dc11669786a5"  # MLflow 3.17.2's
HEAD_REVISION = "f4a9b2c7d1e6"  # MLflow 3.18.0's

pytestmark = pytest.mark.skipif(not is_ours(), reason="runs our binary's `db` commands")


@pytest.fixture
def databases(tmp_path):
    """make() -> a fresh, empty backend of the suite's kind; all dropped at the end."""
    made = []

    def make() -> str:
        directory = tmp_path / f"db-{len(made)}"
        directory.mkdir()
        made.append(create_backend(directory))
        return made[-1]

    yield make
    for uri in made:
        drop_backend(uri)


def _run(*cmd: str) -> str:
    done = subprocess.run(list(cmd), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd}: {done.stdout}\n{done.stderr}"
    return done.stdout


def _db_current(uri: str) -> str:
    return _run(_ours_bin(), "db", "current", uri).strip()


def _at_3_17_2(uri: str, root) -> str:
    """The database as `mlflow server` 3.17.2 (the suite's mlflow) creates it."""
    import mlflow
    if mlflow.__version__ != "3.17.2":
        pytest.skip(f"the suite's mlflow is {mlflow.__version__}, not 3.17.2 (e2e/requirements.txt)")
    start_server("mlflow", uri, root).stop()
    assert _db_current(uri) == OLDEST_REVISION
    return uri


def _sql(uri: str, statement: str, params=()) -> list:
    if uri.startswith("sqlite"):
        with sqlite3.connect(uri[len("sqlite:///"):]) as conn:
            return conn.execute(statement.replace("%s", "?"), params).fetchall()
    import psycopg
    with psycopg.connect(_pg_admin_conninfo(uri)) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.skipif(backend_kind() != "sqlite", reason="SQLite (test_postgres.py compares PostgreSQL's)")
def test_empty_sqlite_schema_is_identical_to_mlflows(databases, tmp_path):
    """`tracking-server db upgrade` and `mlflow server` 3.18.0 make the same empty schema on SQLite."""
    mlflow318 = mlflow318_bin()
    ours, theirs = databases(), databases()
    assert _run(_ours_bin(), "db", "upgrade", ours).strip() == f"created schema at revision {HEAD_REVISION}"
    assert _db_current(ours) == HEAD_REVISION
    start_server("mlflow", theirs, tmp_path / "art", mlflow_bin=mlflow318).stop()
    assert own_indexes(ours)[:2] == ["tracking_server_latest_metrics_by_run", "tracking_server_latest_metrics_by_value"]
    assert differences(catalog(ours), catalog(theirs)) == {}


def test_our_upgrade_of_a_3_17_2_database_is_mlflows(databases, tmp_path):
    """Ours and `mlflow db upgrade` 3.18.0 take the same 3.17.2 database to the same schema and rows."""
    mlflow318 = mlflow318_bin()
    ours, theirs = _at_3_17_2(databases(), tmp_path / "a"), _at_3_17_2(databases(), tmp_path / "b")
    categories = json.dumps(["Hallucination", "  hallucination ", "Tool Error", "Tool error"])
    for uri in (ours, theirs):
        _sql(uri, "INSERT INTO issues (issue_id, experiment_id, name, description, status, categories, created_timestamp, "
                  "last_updated_timestamp) VALUES ('issue-1', 0, 'n', 'd', 'open', %s, 11, 12)", (categories,))

    out = _run(_ours_bin(), "db", "upgrade", ours)
    assert out.strip() == (f"upgraded schema from revision {OLDEST_REVISION} to {HEAD_REVISION} "
                           f"(applied e7d1f4b2a9c6, 8b6ad64cb8f5, {HEAD_REVISION})"), out
    _run(mlflow318, "db", "upgrade", _backend_uri_for("mlflow", theirs))
    assert _db_current(ours) == _db_current(theirs) == HEAD_REVISION
    assert differences(catalog(ours), catalog(theirs)) == {}
    for query in ("SELECT issue_id, category_hash, category FROM issue_categories ORDER BY 1, 2",
                  "SELECT issue_id, last_seen_timestamp FROM issues ORDER BY 1"):
        assert _sql(ours, query) == _sql(theirs, query), query
    assert len(_sql(ours, "SELECT * FROM issue_categories")) == 2
    assert "already at revision" in _run(_ours_bin(), "db", "upgrade", ours)


def test_mlflow_upgrade_of_a_database_our_server_wrote_is_served(databases, tmp_path):
    """A 3.17.2 database our server wrote, upgraded by `mlflow db upgrade` 3.18.0, served by ours with its data."""
    mlflow318 = mlflow318_bin()
    uri = _at_3_17_2(databases(), tmp_path / "a")
    with start_server("ours", uri, tmp_path / "art") as srv:
        rest = Rest(srv.url)
        exp = rest.post("experiments/create", {"name": f"upgrade-{uuid.uuid4().hex[:8]}"}).json()["experiment_id"]
        run_id = rest.post("runs/create", {"experiment_id": exp, "start_time": 1}).json()["run"]["info"]["run_id"]
        resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [{"key": "m", "value": 1.5, "timestamp": 2, "step": 3}],
                                            "params": [{"key": "p", "value": "v"}], "tags": [{"key": "t", "value": "w"}]})
        assert resp.status_code == 200, resp.text
        before = rest.get("runs/get", {"run_id": run_id}).json()["run"]
    assert _db_current(uri) == OLDEST_REVISION  # served as it is

    _run(mlflow318, "db", "upgrade", _backend_uri_for("mlflow", uri))
    assert _db_current(uri) == HEAD_REVISION
    with start_server("ours", uri, tmp_path / "art") as srv:
        rest = Rest(srv.url)
        assert rest.get("runs/get", {"run_id": run_id}).json()["run"] == before
        resp = rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 2.5, "timestamp": 4, "step": 5})
        assert resp.status_code == 200, resp.text
        history = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"}).json()["metrics"]
        assert sorted(m["step"] for m in history) == [3, 5]
