#!/usr/bin/env bash
# Entrypoint of the PostgreSQL stand-in (postgres.Dockerfile): on an empty data directory, create
# the cluster, the user and the database the way the official image does, then run the server.
set -euo pipefail
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set, as with the official postgres image}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
export PGDATA=${PGDATA:-/var/lib/postgresql/data}
bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin | sort -V | tail -n 1)

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    "$bin/initdb" --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --no-instructions -D "$PGDATA" >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    if [ "$database" != postgres ]; then
        # Single-user mode: no server listens while the database is made.
        printf 'CREATE DATABASE "%s";\n' "$database" | "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
    fi
    echo "initialised $PGDATA (user $user, database $database)"
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
