"""Shared machinery for the e2e suite: server start/stop, backends, raw REST helper, assertions.

Environment:
  E2E_SERVER   ours (default) | mlflow
  E2E_BACKEND  sqlite (default) | postgres
  E2E_PG_URI   server URI for postgres mode, e.g. postgresql://postgres@127.0.0.1:5432/postgres
  TRACKING_SERVER_BIN  our binary (default <repo>/.build/release/tracking-server)
  MLFLOW_BIN   the `mlflow` executable (default: next to sys.executable)
  E2E_MLFLOW318_BIN  an `mlflow` 3.18.0 executable (e2e/requirements-3.18.txt), for the schema tests
               against MLflow 3.18.0's revisions and the round trips with `mlflow server` 3.18.0;
               those tests are skipped without it

The client under test is the `mlflow` this Python imports (3.17.2 from e2e/requirements.txt or 3.18.0
from e2e/requirements-3.18.txt); expectations that depend on a version go through the helpers under
"versions" below.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent

API_PREFIX = "/api/2.0/mlflow"
AJAX_PREFIX = "/ajax-api/2.0/mlflow"

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


# --------------------------------------------------------------------------------------------
# configuration


def server_kind() -> str:
    kind = os.environ.get("E2E_SERVER", "ours").strip().lower()
    if kind not in ("ours", "mlflow"):
        raise pytest.UsageError(f"E2E_SERVER must be 'ours' or 'mlflow', got {kind!r}")
    return kind


def backend_kind() -> str:
    kind = os.environ.get("E2E_BACKEND", "sqlite").strip().lower()
    if kind not in ("sqlite", "postgres"):
        raise pytest.UsageError(f"E2E_BACKEND must be 'sqlite' or 'postgres', got {kind!r}")
    return kind


def is_ours() -> bool:
    return server_kind() == "ours"


def _ours_bin() -> str:
    return os.environ.get("TRACKING_SERVER_BIN") or str(REPO_DIR / ".build" / "release" / "tracking-server")


def suite_mlflow_bin() -> str:
    return os.environ.get("MLFLOW_BIN") or str(Path(sys.executable).parent / "mlflow")


def mlflow318_bin() -> str:
    """The `mlflow` 3.18.0 executable named by E2E_MLFLOW318_BIN; skips the test when there is none."""
    path = os.environ.get("E2E_MLFLOW318_BIN", "")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("needs an mlflow==3.18.0 executable in E2E_MLFLOW318_BIN (a venv from e2e/requirements-3.18.txt)"
                    + (f"; {path!r} is not executable" if path else ""))
    return path


# --------------------------------------------------------------------------------------------
# versions

# The MLflow release whose API our server implements: what its GET /version answers
# (Sources/TrackingServer/API/ServerInfoAPI.swift).
OURS_MLFLOW_VERSION = "3.18.0"


def parse_version(text: str) -> tuple[int, ...]:
    """"3.18.0" -> (3, 18, 0); a pre-release suffix is dropped ("3.19.0rc0" -> (3, 19, 0))."""
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def client_version() -> tuple[int, ...]:
    """The version of the official client under test (the `mlflow` this Python imports)."""
    import mlflow

    return parse_version(mlflow.__version__)


@functools.cache
def mlflow_bin_version(path: str) -> str:
    """The version of the `mlflow` package behind an `mlflow` executable, read from the metadata of
    the venv it lives in (fast: no import of mlflow), else from `mlflow --version`."""
    python = Path(path).parent / "python"
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('mlflow'))"]
    for cmd in ([probe] if python.exists() else []) + [[path, "--version"]]:
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
        except OSError:
            continue
        if found := re.search(r"\d+\.\d+\.\d+\S*", out):
            return found.group(0)
    raise pytest.UsageError(f"cannot tell the mlflow version of {path}")


def server_mlflow_version() -> tuple[int, ...]:
    """The MLflow version the server under test reports: ours, or the `mlflow server` in use."""
    return parse_version(OURS_MLFLOW_VERSION if is_ours() else mlflow_bin_version(suite_mlflow_bin()))


def mlflow_server_since(version: str) -> bool:
    """True when the server under test is a real `mlflow server` of `version` or later.

    For behaviour MLflow changed in `version` that our server does not follow yet: ours keeps the
    older answer, and each use says so (README: "Differences from MLflow 3.18.0").
    """
    return not is_ours() and server_mlflow_version() >= parse_version(version)


# --------------------------------------------------------------------------------------------
# backends


def _pg_server_uri() -> str:
    uri = os.environ.get("E2E_PG_URI")
    if not uri:
        raise pytest.UsageError("E2E_BACKEND=postgres needs E2E_PG_URI (e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
    return uri


def _pg_with_database(uri: str, dbname: str) -> str:
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


def _pg_admin_conninfo(uri: str) -> str:
    # psycopg only knows postgresql:// / postgres:// (no SQLAlchemy "+driver" suffix)
    parts = urlsplit(uri)
    scheme = parts.scheme.split("+", 1)[0]
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))


def create_backend(tmp_dir: Path) -> str:
    """Make a fresh, empty backend store and return its *neutral* URI.

    sqlite:   sqlite:///<tmp_dir>/e2e.db
    postgres: postgresql://.../e2e_<random> (a new database on the E2E_PG_URI cluster)
    The URI is neutral: `start_server` adapts it for each server kind.
    """
    if backend_kind() == "sqlite":
        return f"sqlite:///{tmp_dir / 'e2e.db'}"
    import psycopg

    server_uri = _pg_server_uri()
    dbname = f"e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_pg_admin_conninfo(server_uri), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{dbname}"')
    return _pg_with_database(_pg_admin_conninfo(server_uri), dbname)


def drop_backend(uri: str) -> None:
    """Best-effort removal of a postgres database made by `create_backend` (sqlite: nothing)."""
    if not uri.startswith("postgres"):
        return
    import psycopg

    dbname = urlsplit(uri).path.lstrip("/")
    try:
        with psycopg.connect(_pg_admin_conninfo(_pg_server_uri()), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    except Exception as exc:  # noqa: BLE001 - cleanup must never fail the suite
        print(f"warning: could not drop database {dbname}: {exc}", file=sys.stderr)


def _backend_uri_for(kind: str, uri: str) -> str:
    if uri.startswith("postgres"):
        parts = urlsplit(uri)
        if kind == "mlflow":
            # MLflow 3.17's default PostgreSQL driver is psycopg 3
            return urlunsplit(("postgresql+psycopg",) + tuple(parts[1:]))
        return urlunsplit(("postgresql",) + tuple(parts[1:]))
    return uri


# --------------------------------------------------------------------------------------------
# servers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, kind: str, proc: subprocess.Popen, url: str, log_path: Path, backend_uri: str, artifact_root: str):
        self.kind = kind
        self.proc = proc
        self.url = url
        self.log_path = log_path
        self.backend_uri = backend_uri
        self.artifact_root = artifact_root  # file:// URI

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "<no log>"

    def _signal(self, sig: int) -> None:
        # The server runs in its own session, so its process group id is its pid; signalling the group
        # also reaches helper processes (mlflow's uvicorn child). Only call this while the leader is
        # not yet reaped (or group members are known to live), so the id cannot name anyone else.
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _group_members(self) -> list[int] | None:
        """Live (non-zombie) processes of our process group, or None where /proc is unavailable."""
        proc_dir = Path("/proc")
        if not proc_dir.is_dir():
            return None
        members = []
        for entry in proc_dir.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
            if int(fields[2]) == self.proc.pid and fields[0] != "Z":
                members.append(int(entry.name))
        return members

    def _leader_exited(self) -> bool:
        # WNOWAIT: look without reaping, so the pid/process group id stays ours
        return os.waitid(os.P_PID, self.proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None

    def stop(self) -> None:
        """SIGTERM the server's process group, wait for it to exit, SIGKILL what is left."""
        if self.proc.returncode is not None:  # leader already reaped (e.g. died during startup)
            if self._group_members():
                self._signal(signal.SIGKILL)
            return
        self._signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline:
            members = self._group_members()
            if members == [] or (members is None and self._leader_exited()):
                break
            time.sleep(0.05)
        self._signal(signal.SIGKILL)
        self.proc.wait(timeout=STOP_TIMEOUT_S)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


class _PortTaken(Exception):
    pass


def start_server(kind: str, backend_uri: str, artifact_root, log_path: Path | None = None,
                 mlflow_bin: str | None = None) -> Server:
    """Start a tracking server of `kind` ('ours' | 'mlflow') on a free port and wait for /health.

    backend_uri: neutral store URI from `create_backend` (sqlite:///... or postgresql://...).
    artifact_root: directory (Path/str) or file:// URI.
    mlflow_bin: for kind 'mlflow', another `mlflow` executable than the suite's (e.g. `mlflow318_bin()`).
    Returns a `Server` (also a context manager that stops it).
    """
    root = str(artifact_root)
    if not root.startswith("file://"):
        root = "file://" + str(Path(root).resolve())
    if log_path is None:
        log_path = Path(root[len("file://"):]).parent / f"server-{kind}-{uuid.uuid4().hex[:8]}.log"
    for _attempt in range(3):
        try:
            return _launch(kind, backend_uri, root, log_path, mlflow_bin)
        except _PortTaken:
            continue  # someone grabbed the free port between our probe and the server's bind
    pytest.fail(f"{kind} server: no free port after 3 attempts; log:\n{log_path.read_text(errors='replace')[-3000:]}",
                pytrace=False)


def _launch(kind: str, backend_uri: str, root: str, log_path: Path, mlflow_bin: str | None = None) -> Server:
    port = free_port()
    store = _backend_uri_for(kind, backend_uri)
    env = dict(os.environ)
    env.pop("MLFLOW_TRACKING_URI", None)
    if kind == "ours":
        cmd = [_ours_bin(), "server", "--backend-store-uri", store, "--default-artifact-root", root,
               "--host", "127.0.0.1", "--port", str(port)]
        # Ours finds MLflow's UI bundle through the python3 on PATH: the suite's venv, as a user's
        # `pip install mlflow` would provide it.
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    elif kind == "mlflow":
        cmd = [mlflow_bin or suite_mlflow_bin(), "server", "--backend-store-uri", store, "--default-artifact-root", root,
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
        env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    else:
        raise ValueError(f"unknown server kind {kind!r}")

    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_start = log_path.stat().st_size if log_path.exists() else 0
    with open(log_path, "ab") as log_file:
        try:
            proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    env=env, start_new_session=True)
        except OSError as exc:
            pytest.fail(f"cannot start {kind} server: {exc} (command: {cmd})", pytrace=False)

    url = f"http://127.0.0.1:{port}"
    server = Server(kind, proc, url, log_path, backend_uri, root)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            server.stop()
            log = log_path.read_bytes()[log_start:].decode(errors="replace")
            if "in use" in log.lower():
                raise _PortTaken()
            pytest.fail(f"{kind} server exited with code {proc.returncode} during startup.\n"
                        f"command: {cmd}\nlog:\n{server.log_tail()}", pytrace=False)
        try:
            if requests.get(url + "/health", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"{kind} server did not answer GET /health with 200 within {STARTUP_TIMEOUT_S:.0f}s.\n"
                        f"command: {cmd}\nlog:\n{server.log_tail()}", pytrace=False)
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------
# round trips between the server under test and `mlflow server`

# Ours gives a new database MLflow 3.18.0's head revision; an older `mlflow server` refuses it.
OURS_NEW_STORE_MLFLOW = "3.18.0"


class RoundTrip:
    """One store moved between the server under test and `mlflow server` (`mlflow_bin`'s version).

    With E2E_SERVER=mlflow both sides run `mlflow_bin` (a self-check of the test with that version).
    """

    def __init__(self, mlflow_bin: str, backend: str, artifacts: Path, log_dir: Path):
        self.mlflow_bin = mlflow_bin
        self.backend = backend
        self.artifacts = artifacts
        self.log_dir = log_dir

    def start(self, kind: str, role: str) -> Server:
        return start_server(kind, self.backend, self.artifacts, log_path=self.log_dir / f"{role}-{kind}.log",
                            mlflow_bin=self.mlflow_bin if kind == "mlflow" else None)

    def prepare(self, writer: str, reader: str) -> None:
        """Make the empty store the reader will accept: when ours writes for an `mlflow server` older
        than OURS_NEW_STORE_MLFLOW, mlflow creates the store first (ours serves its revision as is)."""
        if (writer, reader) == ("ours", "mlflow") and \
                parse_version(mlflow_bin_version(self.mlflow_bin)) < parse_version(OURS_NEW_STORE_MLFLOW):
            self.start("mlflow", "schema").stop()


# --------------------------------------------------------------------------------------------
# raw REST


class Rest:
    """Tiny wrapper around `requests` for raw REST calls.

    `rest.post("runs/create", {...})`, `rest.get("runs/get", {"run_id": ...})` go to /api/2.0/mlflow;
    `rest.ajax.*` to /ajax-api/2.0/mlflow; `rest.root.*` to the bare server (e.g. "/health").
    """

    def __init__(self, base_url: str, prefix: str = API_PREFIX):
        self.base_url = base_url.rstrip("/")
        self.prefix = prefix.rstrip("/")

    def with_prefix(self, prefix: str) -> "Rest":
        return Rest(self.base_url, prefix)

    @property
    def ajax(self) -> "Rest":
        return self.with_prefix(AJAX_PREFIX)

    @property
    def root(self) -> "Rest":
        return self.with_prefix("")

    def url(self, path: str) -> str:
        return f"{self.base_url}{self.prefix}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return requests.request(method, self.url(path), **kwargs)

    def get(self, path: str, params=None, **kwargs) -> requests.Response:
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path: str, json=None, **kwargs) -> requests.Response:
        return self.request("POST", path, json=json, **kwargs)


# --------------------------------------------------------------------------------------------
# assertion helpers


def now_ms() -> int:
    return int(time.time() * 1000)


def assert_error(resp: requests.Response, status: int, error_code: str | None = None, *fragments: str) -> dict:
    """Assert a JSON MLflow error response; returns the body."""
    assert resp.status_code == status, f"expected HTTP {status}, got {resp.status_code}: {resp.text[:500]}"
    assert resp.headers.get("Content-Type", "").startswith("application/json"), resp.headers.get("Content-Type")
    body = resp.json()
    if error_code is not None:
        assert body.get("error_code") == error_code, body
    for fragment in fragments:
        assert fragment in body.get("message", ""), f"{fragment!r} not in message {body.get('message')!r}"
    return body


def make_run(rest: Rest, experiment_id: str, **fields) -> dict:
    """Create a run over REST; returns run_info."""
    body = {"experiment_id": experiment_id, "start_time": now_ms(), **fields}
    resp = rest.post("runs/create", body)
    assert resp.status_code == 200, resp.text
    return resp.json()["run"]["info"]
