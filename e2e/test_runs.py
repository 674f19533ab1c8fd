"""Run lifecycle through the fluent API and MlflowClient."""

import re
from pathlib import Path

import mlflow
import pytest
from mlflow.exceptions import MlflowException

from helpers import assert_error, make_run, now_ms

RUN_INFO_KEYS = {"run_uuid", "run_id", "experiment_id", "run_name", "user_id", "status", "start_time",
                 "artifact_uri", "lifecycle_stage"}
GENERATED_NAME = re.compile(r"^[a-z]+-[a-z]+-\d{1,4}$")  # e.g. "learned-bat-469"


def test_start_run_fluent(client, active_experiment):
    exp = active_experiment
    before = now_ms()
    with mlflow.start_run(run_name="my-run") as run:
        info = run.info
        assert re.fullmatch(r"[0-9a-f]{32}", info.run_id)
        assert info.experiment_id == exp.experiment_id
        assert info.run_name == "my-run"
        assert info.status == "RUNNING"
        assert info.lifecycle_stage == "active"
        assert info.end_time is None
        assert before - 60_000 <= info.start_time <= now_ms() + 60_000
        assert info.artifact_uri == f"{exp.artifact_location}/{info.run_id}/artifacts"
        assert mlflow.active_run().info.run_id == info.run_id
        live = client.get_run(info.run_id)
        assert live.info.status == "RUNNING"
        assert live.data.tags["mlflow.runName"] == "my-run"
        # tags the fluent client adds on its own
        assert "mlflow.user" in live.data.tags
        assert live.data.tags["mlflow.source.type"] == "LOCAL"
        assert live.info.user_id == live.data.tags["mlflow.user"]
    assert mlflow.active_run() is None
    done = client.get_run(run.info.run_id)
    assert done.info.status == "FINISHED"
    assert done.info.end_time is not None and done.info.end_time >= done.info.start_time
    assert mlflow.last_active_run().info.run_id == run.info.run_id


def test_run_name_generated_when_missing(client, active_experiment):
    with mlflow.start_run() as run:
        pass
    got = client.get_run(run.info.run_id)
    assert GENERATED_NAME.match(got.info.run_name), got.info.run_name
    assert got.data.tags["mlflow.runName"] == got.info.run_name


def test_run_name_generated_by_server(rest, experiment_id):
    info = make_run(rest, experiment_id)
    assert GENERATED_NAME.match(info["run_name"]), info["run_name"]
    run = rest.get("runs/get", {"run_id": info["run_id"]}).json()["run"]
    assert {"key": "mlflow.runName", "value": info["run_name"]} in run["data"]["tags"]


def test_run_name_from_tag_only(rest, client, experiment_id):
    info = make_run(rest, experiment_id, tags=[{"key": "mlflow.runName", "value": "from-tag"}])
    assert info["run_name"] == "from-tag"
    assert client.get_run(info["run_id"]).data.tags["mlflow.runName"] == "from-tag"


def test_run_name_and_conflicting_tag(rest, experiment_id):
    resp = rest.post("runs/create", {"experiment_id": experiment_id, "run_name": "a", "start_time": now_ms(),
                                     "tags": [{"key": "mlflow.runName", "value": "b"}]})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "run_name", "mlflow.runName")


def test_create_run_rest_shape(rest, server, experiment_id):
    resp = rest.post("runs/create", {"experiment_id": experiment_id, "start_time": 1700000000000,
                                     "run_name": "shape-run", "user_id": "alice",
                                     "tags": [{"key": "k", "value": "v"}]})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"run"}
    run = body["run"]
    assert set(run) == {"info", "data", "inputs"}
    assert run["inputs"] == {}
    info = run["info"]
    assert set(info) == RUN_INFO_KEYS  # no end_time while running
    assert info["run_id"] == info["run_uuid"]
    assert info["experiment_id"] == experiment_id
    assert info["run_name"] == "shape-run"
    assert info["user_id"] == "alice"
    assert info["status"] == "RUNNING"
    assert info["start_time"] == 1700000000000
    assert info["lifecycle_stage"] == "active"
    assert info["artifact_uri"] == f"{server.artifact_root}/{experiment_id}/{info['run_id']}/artifacts"
    assert sorted(run["data"]["tags"], key=lambda t: t["key"]) == [
        {"key": "k", "value": "v"}, {"key": "mlflow.runName", "value": "shape-run"}]
    assert set(run["data"]) == {"tags"}

    got = rest.get("runs/get", {"run_id": info["run_id"]}).json()["run"]
    assert got["info"] == info
    assert got["inputs"] == {}


def test_nested_runs(client, active_experiment):
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            assert mlflow.active_run().info.run_id == child.info.run_id
            with mlflow.start_run(run_name="grandchild", nested=True) as grandchild:
                pass
        assert mlflow.active_run().info.run_id == parent.info.run_id
        assert client.get_run(child.info.run_id).info.status == "FINISHED"
        assert client.get_run(parent.info.run_id).info.status == "RUNNING"
    c = client.get_run(child.info.run_id)
    g = client.get_run(grandchild.info.run_id)
    p = client.get_run(parent.info.run_id)
    assert c.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert g.data.tags["mlflow.parentRunId"] == child.info.run_id
    assert "mlflow.parentRunId" not in p.data.tags
    assert p.info.status == "FINISHED"
    assert {c.info.experiment_id, g.info.experiment_id} == {p.info.experiment_id}


def test_nested_run_with_explicit_parent(client, active_experiment):
    parent = client.create_run(active_experiment.experiment_id)
    with mlflow.start_run(parent_run_id=parent.info.run_id, nested=True) as child:
        pass
    assert client.get_run(child.info.run_id).data.tags["mlflow.parentRunId"] == parent.info.run_id


@pytest.mark.parametrize("status", ["FAILED", "KILLED", "FINISHED"])
def test_end_run_status(client, active_experiment, status):
    run = mlflow.start_run()
    mlflow.end_run(status=status)
    got = client.get_run(run.info.run_id)
    assert got.info.status == status
    assert got.info.end_time is not None


def test_exception_in_run_context_marks_failed(client, active_experiment):
    with pytest.raises(RuntimeError):
        with mlflow.start_run() as run:
            raise RuntimeError("boom")
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_resume_finished_run(client, active_experiment):
    with mlflow.start_run() as run:
        mlflow.log_param("p", "1")
    with mlflow.start_run(run_id=run.info.run_id) as resumed:
        assert resumed.info.run_id == run.info.run_id
        assert client.get_run(run.info.run_id).info.status == "RUNNING"
        mlflow.log_metric("after_resume", 1.0)
    got = client.get_run(run.info.run_id)
    assert got.info.status == "FINISHED"
    assert got.data.params == {"p": "1"}
    assert got.data.metrics == {"after_resume": 1.0}


def test_run_description_tag(client, active_experiment):
    with mlflow.start_run(description="hello **markdown**") as run:
        pass
    assert client.get_run(run.info.run_id).data.tags["mlflow.note.content"] == "hello **markdown**"


def test_log_without_start_run_autostarts(client, active_experiment):
    assert mlflow.active_run() is None
    mlflow.log_metric("auto", 1.5)
    run = mlflow.active_run()
    assert run is not None
    assert run.info.experiment_id == active_experiment.experiment_id
    mlflow.end_run()
    got = client.get_run(run.info.run_id)
    assert got.data.metrics == {"auto": 1.5}
    assert got.info.status == "FINISHED"


def test_client_create_run(client, experiment_id):
    run = client.create_run(experiment_id, start_time=1700000000000, tags={"a": "b"}, run_name="named")
    assert run.info.start_time == 1700000000000
    assert run.info.run_name == "named"
    assert run.info.status == "RUNNING"
    assert run.data.tags == {"a": "b", "mlflow.runName": "named"}
    assert client.get_run(run.info.run_id).data.tags == {"a": "b", "mlflow.runName": "named"}


def test_create_run_in_default_experiment(client):
    run = client.create_run("0")
    assert run.info.experiment_id == "0"


def test_set_terminated(client, experiment_id):
    run = client.create_run(experiment_id)
    client.set_terminated(run.info.run_id, status="KILLED", end_time=run.info.start_time + 5000)
    got = client.get_run(run.info.run_id)
    assert got.info.status == "KILLED"
    assert got.info.end_time == run.info.start_time + 5000

    client.set_terminated(run.info.run_id)  # default FINISHED, end_time now
    got = client.get_run(run.info.run_id)
    assert got.info.status == "FINISHED"
    assert got.info.end_time >= run.info.start_time


def test_update_run(client, rest, experiment_id):
    run = client.create_run(experiment_id, run_name="before")
    run_id = run.info.run_id
    client.update_run(run_id, name="after")
    got = client.get_run(run_id)
    assert got.info.run_name == "after"
    assert got.data.tags["mlflow.runName"] == "after"
    assert got.info.status == "RUNNING"

    client.update_run(run_id, status="FINISHED")
    got = client.get_run(run_id)
    assert got.info.status == "FINISHED"
    assert got.info.run_name == "after"

    resp = rest.post("runs/update", {"run_id": run_id, "status": "FAILED", "end_time": 1800000000000})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"run_info"}
    info = body["run_info"]
    assert set(info) == RUN_INFO_KEYS | {"end_time"}
    assert info["status"] == "FAILED"
    assert info["end_time"] == 1800000000000
    assert info["run_name"] == "after"
    assert info["run_id"] == info["run_uuid"] == run_id


def test_update_run_with_run_uuid_only(rest, experiment_id):
    info = make_run(rest, experiment_id)
    resp = rest.post("runs/update", {"run_uuid": info["run_id"], "run_name": "via-uuid"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["run_info"]["run_name"] == "via-uuid"


def test_set_runname_tag_renames_run(client, experiment_id):
    run = client.create_run(experiment_id, run_name="first")
    client.set_tag(run.info.run_id, "mlflow.runName", "second")
    got = client.get_run(run.info.run_id)
    assert got.info.run_name == "second"
    assert got.data.tags["mlflow.runName"] == "second"


def test_delete_and_restore_run(client, rest, experiment_id):
    run = client.create_run(experiment_id)
    run_id = run.info.run_id
    client.log_param(run_id, "p", "v")
    client.delete_run(run_id)

    deleted = client.get_run(run_id)  # still readable
    assert deleted.info.lifecycle_stage == "deleted"
    assert deleted.data.params == {"p": "v"}
    for call in (lambda: client.log_metric(run_id, "m", 1.0),
                 lambda: client.set_tag(run_id, "t", "v"),
                 lambda: client.log_param(run_id, "q", "v")):
        with pytest.raises(MlflowException) as ei:
            call()
        assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
        assert f"The run {run_id} must be in the 'active' state. Current state is deleted." in ei.value.message
    assert_error(rest.post("runs/log-batch", {"run_id": run_id, "tags": [{"key": "x", "value": "y"}]}),
                 400, "INVALID_PARAMETER_VALUE", "must be in the 'active' state")

    client.restore_run(run_id)
    restored = client.get_run(run_id)
    assert restored.info.lifecycle_stage == "active"
    client.set_tag(run_id, "t", "v")
    assert client.get_run(run_id).data.tags["t"] == "v"


def test_delete_unknown_run(client):
    with pytest.raises(MlflowException) as ei:
        client.delete_run("0" * 32)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_get_run_missing(client):
    missing = "f" * 32
    with pytest.raises(MlflowException) as ei:
        client.get_run(missing)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert f"Run with id={missing} not found" in ei.value.message


def test_log_artifact_to_file_root(client, server, active_experiment, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_text("hello artifacts")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(src))
        mlflow.log_text("inline", "sub/dir/note.txt")
    uri = client.get_run(run.info.run_id).info.artifact_uri
    assert uri.startswith(server.artifact_root + "/")
    assert uri == f"{server.artifact_root}/{active_experiment.experiment_id}/{run.info.run_id}/artifacts"
    local = Path(uri[len("file://"):])
    assert (local / "hello.txt").read_text() == "hello artifacts"
    assert (local / "sub" / "dir" / "note.txt").read_text() == "inline"
