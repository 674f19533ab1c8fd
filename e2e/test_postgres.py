"""PostgreSQL only: several replicas on one database, schema identity with MLflow's, database outages.

Skipped on the SQLite backend. Replica tests run against either server kind (E2E_SERVER), so they
describe what MLflow itself does; the outage test is ours only (MLflow's answer differs, see README).
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from helpers import (Rest, _ours_bin, _pg_admin_conninfo, backend_kind, create_backend, drop_backend, is_ours,
                     mlflow318_bin, server_kind, start_server)
from schema_catalog import catalog, differences, own_indexes

HEAD_REVISION = "f4a9b2c7d1e6"  # MLflow 3.18.0's, the revision new databases get

pytestmark = pytest.mark.skipif(backend_kind() != "postgres", reason="PostgreSQL backend only (E2E_BACKEND=postgres)")


@pytest.fixture
def database():
    uri = create_backend(None)
    yield uri
    drop_backend(uri)


def _start_many(kind, uri, root, count):
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(lambda _: start_server(kind, uri, root), range(count)))


def _start_replicas(kind, uri, root, count=2):
    """Replicas started one after the other, as MLflow needs (its schema creation is not race-free)."""
    return [start_server(kind, uri, root) for _ in range(count)]


@pytest.mark.skipif(not is_ours(), reason="mlflow server 3.17.2 fails here: concurrent starters race in "
                    "CREATE TABLE (duplicate key in pg_type_typname_nsp_index)")
def test_replicas_started_together_create_the_schema_once(database, tmp_path):
    servers = _start_many(server_kind(), database, tmp_path / "art", 3)
    try:
        for srv in servers:
            body = Rest(srv.url).get("experiments/get", {"experiment_id": "0"}).json()
            assert body["experiment"]["name"] == "Default"
        import psycopg
        with psycopg.connect(_pg_admin_conninfo(database)) as conn:
            assert conn.execute("SELECT count(*) FROM experiments").fetchone()[0] == 1
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    finally:
        for srv in servers:
            srv.stop()


def test_two_replicas_under_concurrent_writes_store_every_point_once(database, tmp_path):
    a, b = _start_replicas(server_kind(), database, tmp_path / "art")
    try:
        replicas = [Rest(a.url), Rest(b.url)]
        exp = replicas[0].post("experiments/create", {"name": f"replicas-{uuid.uuid4().hex[:8]}"}).json()["experiment_id"]
        run_id = replicas[1].post("runs/create", {"experiment_id": exp, "start_time": 1}).json()["run"]["info"]["run_id"]

        def writer(worker: int) -> None:
            rest = replicas[worker % 2]
            for i in range(20):
                step = worker * 1000 + i
                if i % 2:
                    resp = rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": float(step),
                                                         "timestamp": 1000 + step, "step": step})
                else:
                    metrics = [{"key": "m", "value": float(step), "timestamp": 1000 + step, "step": step},
                               {"key": f"w{worker}", "value": float(i), "timestamp": 1, "step": i}]
                    # Ours: the same param from every writer at once, equal values never conflict.
                    # mlflow server 3.17.2 answers 400 (UniqueViolation on param_pk) when two
                    # writers race on one param key, so against it each writer logs its own.
                    param = {"key": "shared", "value": "same"} if is_ours() else {"key": f"p{worker}-{i}", "value": "v"}
                    resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": [param],
                                                        "tags": [{"key": "last_writer", "value": str(worker)}]})
                assert resp.status_code == 200, resp.text

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(writer, range(8)))

        views = []
        for rest in replicas:
            history = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "m", "max_results": 1000}).json()
            steps = sorted(m["step"] for m in history["metrics"])
            assert steps == sorted(w * 1000 + i for w in range(8) for i in range(20))
            run = rest.get("runs/get", {"run_id": run_id}).json()["run"]
            # the order of the lists is not part of the API
            views.append({part: sorted(items, key=lambda x: x["key"]) for part, items in run["data"].items()})
            latest = {m["key"]: m for m in run["data"]["metrics"]}
            assert latest["m"]["step"] == 7019
            if is_ours():
                assert {p["key"]: p["value"] for p in run["data"]["params"]} == {"shared": "same"}
        assert views[0] == views[1]
    finally:
        a.stop()
        b.stop()


def test_replicas_racing_on_one_experiment_name_create_it_once(database, tmp_path):
    a, b = _start_replicas(server_kind(), database, tmp_path / "art")
    try:
        name = f"race-{uuid.uuid4().hex[:8]}"
        replicas = [Rest(a.url), Rest(b.url)]
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(lambda i: replicas[i % 2].post("experiments/create", {"name": name}), range(8)))
        created = [r for r in responses if r.status_code == 200]
        assert len(created) == 1, [r.text for r in responses]
        for r in responses:
            if r.status_code != 200:
                assert r.status_code == 400 and r.json()["error_code"] == "RESOURCE_ALREADY_EXISTS", r.text
    finally:
        a.stop()
        b.stop()


def test_empty_schema_is_identical_to_mlflows(tmp_path):
    """`tracking-server db upgrade` and `mlflow server` 3.18.0 make the same empty schema."""
    mlflow318 = mlflow318_bin()
    ours_db = create_backend(None)
    theirs_db = create_backend(None)
    try:
        if is_ours():
            done = subprocess.run([_ours_bin(), "db", "upgrade", ours_db], capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, done.stderr
            again = subprocess.run([_ours_bin(), "db", "upgrade", ours_db], capture_output=True, text=True, timeout=60)
            assert again.returncode == 0 and "already at revision" in again.stdout, again.stderr
            current = subprocess.run([_ours_bin(), "db", "current", ours_db], capture_output=True, text=True, timeout=60)
            assert current.stdout.strip() == HEAD_REVISION, current.stderr
        else:
            start_server("mlflow", ours_db, tmp_path / "a", mlflow_bin=mlflow318).stop()
        start_server("mlflow", theirs_db, tmp_path / "b", mlflow_bin=mlflow318).stop()
        # Our own search indexes (named tracking_server_*) come on top of MLflow's schema; MLflow ignores them.
        if is_ours():
            own = own_indexes(ours_db)
            assert own == ["tracking_server_latest_metrics_by_value", "tracking_server_runs_by_start"], own
        assert differences(catalog(ours_db), catalog(theirs_db)) == {}
    finally:
        drop_backend(ours_db)
        drop_backend(theirs_db)


class _Proxy:
    """A TCP relay in front of PostgreSQL that the test can cut and restore, to play a database outage."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets: list[socket.socket] = []
        self._listener = None
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        """Refuse new connections and drop the open ones, as a database that went away."""
        if self._listener:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for s in self._sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self._sockets.clear()


@pytest.mark.skipif(not is_ours(), reason="ours only: MLflow's server answers 500 and needs no proxy to show it")
def test_database_outage_answers_503_then_recovers_without_restart(database, tmp_path):
    parts = urlsplit(database)
    proxy = _Proxy(parts.hostname, parts.port or 5432)
    proxy.start()
    proxied = parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}").geturl()
    srv = start_server("ours", proxied, tmp_path / "art")
    try:
        rest = Rest(srv.url)
        assert rest.get("experiments/get", {"experiment_id": "0"}).status_code == 200
        proxy.cut()
        for _ in range(2):
            started = time.monotonic()
            resp = rest.post("experiments/create", {"name": f"outage-{uuid.uuid4().hex[:8]}"}, timeout=30)
            assert resp.status_code == 503, resp.text
            assert resp.json()["error_code"] == "TEMPORARILY_UNAVAILABLE"
            assert time.monotonic() - started < 8  # the pool gives up waiting after 5 s
        assert requests.get(srv.url + "/health", timeout=5).status_code == 200
        proxy.start()
        deadline = time.monotonic() + 30
        while True:
            resp = rest.post("experiments/create", {"name": f"back-{uuid.uuid4().hex[:8]}"}, timeout=30)
            if resp.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert resp.status_code == 200, resp.text
        assert srv.proc.poll() is None
    finally:
        srv.stop()
        proxy.cut()


@pytest.mark.skipif(not is_ours(), reason="ours only: checks our log output")
def test_password_never_logged(database, tmp_path):
    parts = urlsplit(database)
    # trust authentication accepts any password, so the server starts and logs normally
    with_password = parts._replace(netloc=f"{parts.username}:s3cr%40tpw@{parts.hostname}:{parts.port}").geturl()
    srv = start_server("ours", with_password, tmp_path / "art")
    try:
        assert Rest(srv.url).get("experiments/get", {"experiment_id": "0"}).status_code == 200
    finally:
        srv.stop()
    unreachable = parts._replace(netloc=f"{parts.username}:s3cr%40tpw@127.0.0.1:1").geturl()
    failed = subprocess.run([_ours_bin(), "server", "--backend-store-uri", unreachable, "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert failed.returncode != 0
    for text in (srv.log_path.read_text(errors="replace"), failed.stdout + failed.stderr):
        assert "s3cr" not in text and "tpw" not in text
    assert "***" in failed.stderr + failed.stdout
