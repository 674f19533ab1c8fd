"""End-to-end fixtures: start the tracking server under test and point the official client at it.

See helpers.py for the environment variables (E2E_SERVER, E2E_BACKEND, E2E_PG_URI, ...).
"""

from __future__ import annotations

import os
import uuid

# Fail fast instead of the client's default 7 retries with exponential backoff (minutes per failing call)
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")

import mlflow
import pytest

from helpers import (Rest, RoundTrip, Server, backend_kind, create_backend, drop_backend, mlflow318_bin,
                     mlflow_bin_version, server_kind, server_mlflow_version, start_server, suite_mlflow_bin)


def pytest_report_header(config):
    server = ".".join(map(str, server_mlflow_version()))
    return (f"e2e: E2E_SERVER={server_kind()} (MLflow {server}) E2E_BACKEND={backend_kind()} "
            f"client mlflow=={mlflow.__version__}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """The server under test (E2E_SERVER), with a fresh backend and artifact root."""
    base = tmp_path_factory.mktemp("server")
    artdir = base / "artifacts"
    artdir.mkdir()
    backend = create_backend(base)
    srv = start_server(server_kind(), backend, artdir, log_path=base / "server.log")
    old = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = srv.url
    try:
        yield srv
    finally:
        if old is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = old
        srv.stop()
        drop_backend(backend)


@pytest.fixture(autouse=True)
def _no_leftover_active_run():
    """Tests must not leak an active fluent run into the next test."""
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture(scope="session")
def rest(server) -> Rest:
    return Rest(server.url)


@pytest.fixture
def client(server) -> mlflow.MlflowClient:
    return mlflow.MlflowClient(tracking_uri=server.url)


@pytest.fixture
def unique_name(request):
    """unique_name("prefix") -> a name no other test (or earlier session) uses."""
    test = request.node.name.replace("[", "-").replace("]", "")[:40]

    def make(prefix: str = "exp") -> str:
        return f"e2e-{prefix}-{test}-{uuid.uuid4().hex[:10]}"

    return make


@pytest.fixture
def experiment_id(client, unique_name) -> str:
    """A fresh experiment for this test (created through the client)."""
    return client.create_experiment(unique_name("exp"))


@pytest.fixture
def active_experiment(server, unique_name):
    """A fresh experiment made active through `mlflow.set_experiment` (fluent API)."""
    return mlflow.set_experiment(unique_name("fluent"))




@pytest.fixture(params=["suite-mlflow", "mlflow-3.18"])
def round_trip(request, tmp_path):
    """A fresh store for a round trip with `mlflow server`: the suite's (MLFLOW_BIN, the client's
    version) and 3.18.0 (E2E_MLFLOW318_BIN; skipped where the suite's mlflow is already 3.18.0)."""
    mlflow_bin = suite_mlflow_bin()
    if request.param == "mlflow-3.18":
        mlflow_bin = mlflow318_bin()
        if mlflow_bin_version(mlflow_bin) == mlflow_bin_version(suite_mlflow_bin()):
            pytest.skip(f"the suite's mlflow is {mlflow_bin_version(mlflow_bin)} already (the suite-mlflow case)")
    backend = create_backend(tmp_path)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    try:
        yield RoundTrip(mlflow_bin, backend, artifacts, tmp_path)
    finally:
        drop_backend(backend)
