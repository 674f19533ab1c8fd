"""Experiments through the official client (and the raw REST shapes behind it)."""

import mlflow
import pytest
from mlflow.exceptions import MlflowException

from helpers import assert_error, now_ms

EXPERIMENT_KEYS = {"experiment_id", "name", "artifact_location", "lifecycle_stage", "last_update_time",
                   "creation_time", "workspace"}


def test_default_experiment_exists(client, server):
    exp = client.get_experiment("0")
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    assert exp.artifact_location == f"{server.artifact_root}/0"
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_set_experiment_creates_then_reuses(client, server, unique_name):
    name = unique_name()
    assert client.get_experiment_by_name(name) is None
    before = now_ms()
    exp = mlflow.set_experiment(name)
    assert exp.name == name
    assert exp.experiment_id.isdigit()
    assert exp.lifecycle_stage == "active"
    assert exp.artifact_location == f"{server.artifact_root}/{exp.experiment_id}"
    assert exp.tags == {}
    assert before - 60_000 <= exp.creation_time <= now_ms() + 60_000
    assert exp.last_update_time == exp.creation_time
    # second call finds the existing experiment instead of creating one
    again = mlflow.set_experiment(name)
    assert again.experiment_id == exp.experiment_id
    # and set_experiment by id works too
    by_id = mlflow.set_experiment(experiment_id=exp.experiment_id)
    assert by_id.name == name
    assert client.get_experiment_by_name(name).experiment_id == exp.experiment_id


def test_experiment_ids_are_distinct_integers(client, unique_name):
    ids = [client.create_experiment(unique_name(f"n{i}")) for i in range(3)]
    assert len(set(ids)) == 3
    assert all(i.isdigit() for i in ids)
    assert sorted(ids, key=int) == ids  # increasing


def test_create_experiment_with_tags_and_artifact_location(client, tmp_path, unique_name):
    name = unique_name()
    location = f"file://{tmp_path}/custom-location"
    exp_id = client.create_experiment(name, artifact_location=location, tags={"team": "ml", "stage": "dev"})
    exp = client.get_experiment(exp_id)
    assert exp.name == name
    assert exp.artifact_location == location
    assert exp.tags == {"team": "ml", "stage": "dev"}
    # a run in it gets its artifact_uri below the experiment location
    run = client.create_run(exp_id)
    assert run.info.artifact_uri == f"{location}/{run.info.run_id}/artifacts"


def test_get_experiment_rest_shape(rest, client, server, unique_name):
    name = unique_name()
    exp_id = client.create_experiment(name)
    body = rest.get("experiments/get", {"experiment_id": exp_id}).json()
    exp = body["experiment"]
    assert set(body) == {"experiment"}
    assert set(exp) == EXPERIMENT_KEYS  # no "tags" key when there are none
    assert exp["experiment_id"] == exp_id
    assert exp["name"] == name
    assert exp["artifact_location"] == f"{server.artifact_root}/{exp_id}"
    assert exp["lifecycle_stage"] == "active"
    assert exp["workspace"] == "default"
    assert isinstance(exp["creation_time"], int) and isinstance(exp["last_update_time"], int)

    client.set_experiment_tag(exp_id, "k", "v")
    exp = rest.get("experiments/get", {"experiment_id": exp_id}).json()["experiment"]
    assert set(exp) == EXPERIMENT_KEYS | {"tags"}
    assert exp["tags"] == [{"key": "k", "value": "v"}]

    by_name = rest.get("experiments/get-by-name", {"experiment_name": name}).json()
    assert by_name == {"experiment": exp}


def test_create_experiment_rest(rest, unique_name):
    name = unique_name()
    resp = rest.post("experiments/create", {"name": name, "tags": [{"key": "team", "value": "ml"}]})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"experiment_id"}
    assert isinstance(body["experiment_id"], str) and body["experiment_id"].isdigit()
    exp = rest.get("experiments/get", {"experiment_id": body["experiment_id"]}).json()["experiment"]
    assert exp["tags"] == [{"key": "team", "value": "ml"}]


def test_experiment_name_with_special_characters(client, unique_name):
    name = unique_name("spaces and ünïcödé / slash & amp? q=1#frag")
    exp_id = client.create_experiment(name)
    assert client.get_experiment_by_name(name).experiment_id == exp_id
    assert client.get_experiment(exp_id).name == name


def test_duplicate_experiment_name(client, rest, unique_name):
    name = unique_name()
    client.create_experiment(name)
    with pytest.raises(MlflowException) as ei:
        client.create_experiment(name)
    assert ei.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert f"Experiment(name={name}) already exists" in ei.value.message
    # RESOURCE_ALREADY_EXISTS maps to HTTP 400 (not 409) in MLflow
    assert_error(rest.post("experiments/create", {"name": name}), 400, "RESOURCE_ALREADY_EXISTS",
                 f"Experiment(name={name}) already exists")


def test_get_experiment_by_name_unknown(client, rest, unique_name):
    name = unique_name("nope")
    assert client.get_experiment_by_name(name) is None
    assert_error(rest.get("experiments/get-by-name", {"experiment_name": name}), 404, "RESOURCE_DOES_NOT_EXIST",
                 f"Could not find experiment with name '{name}'")


def test_get_experiment_unknown(client):
    with pytest.raises(MlflowException) as ei:
        client.get_experiment("987654321")
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "No Experiment with id=987654321 exists" in ei.value.message


def test_rename_experiment(client, unique_name):
    old, new = unique_name("old"), unique_name("new")
    exp_id = client.create_experiment(old)
    created = client.get_experiment(exp_id)
    client.rename_experiment(exp_id, new)
    exp = client.get_experiment(exp_id)
    assert exp.name == new
    assert exp.creation_time == created.creation_time
    assert exp.last_update_time >= created.last_update_time
    assert client.get_experiment_by_name(old) is None
    assert client.get_experiment_by_name(new).experiment_id == exp_id


def test_rename_experiment_to_existing_name(client, rest, unique_name):
    a, b = unique_name("a"), unique_name("b")
    a_id = client.create_experiment(a)
    client.create_experiment(b)
    # MLflow surfaces the database's unique-constraint failure as BAD_REQUEST
    assert_error(rest.post("experiments/update", {"experiment_id": a_id, "new_name": b}), 400, "BAD_REQUEST")
    assert client.get_experiment(a_id).name == a


def test_rename_experiment_requires_new_name(rest, experiment_id):
    assert_error(rest.post("experiments/update", {"experiment_id": experiment_id}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'new_name'")


def test_delete_and_restore_experiment(client, unique_name):
    name = unique_name()
    exp_id = client.create_experiment(name)
    before = client.get_experiment(exp_id)
    client.delete_experiment(exp_id)

    deleted = client.get_experiment(exp_id)
    assert deleted.lifecycle_stage == "deleted"
    assert deleted.last_update_time >= before.last_update_time
    # get-by-name still finds deleted experiments
    assert client.get_experiment_by_name(name).lifecycle_stage == "deleted"
    # the client refuses to activate a deleted experiment (it reads lifecycle_stage)
    with pytest.raises(MlflowException, match="Cannot set a deleted experiment"):
        mlflow.set_experiment(name)
    with pytest.raises(MlflowException) as ei:
        client.create_run(exp_id)
    assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
    assert f"The experiment {exp_id} must be in the 'active' state. Current state is deleted." in ei.value.message

    client.restore_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "active"
    run = client.create_run(exp_id)
    assert run.info.experiment_id == exp_id
    assert mlflow.set_experiment(name).experiment_id == exp_id


def test_delete_experiment_deletes_its_runs(client, experiment_id):
    run = client.create_run(experiment_id)
    client.delete_experiment(experiment_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    client.restore_experiment(experiment_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"


def test_delete_unknown_experiment(client):
    with pytest.raises(MlflowException) as ei:
        client.delete_experiment("987654321")
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_experiment_tags(client, rest, experiment_id):
    client.set_experiment_tag(experiment_id, "a", "1")
    client.set_experiment_tag(experiment_id, "b", "2")
    client.set_experiment_tag(experiment_id, "a", "overwritten")
    assert client.get_experiment(experiment_id).tags == {"a": "overwritten", "b": "2"}

    client.delete_experiment_tag(experiment_id, "a")
    assert client.get_experiment(experiment_id).tags == {"b": "2"}

    assert_error(rest.post("experiments/delete-experiment-tag", {"experiment_id": experiment_id, "key": "nope"}),
                 404, "RESOURCE_DOES_NOT_EXIST", f"No tag with name: nope in experiment with id {experiment_id}")
    with pytest.raises(MlflowException) as ei:
        client.delete_experiment_tag(experiment_id, "a")
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_experiment_tag_long_value(client, rest, experiment_id):
    client.set_experiment_tag(experiment_id, "long", "v" * 20000)
    assert client.get_experiment(experiment_id).tags["long"] == "v" * 20000
    resp = rest.post("experiments/set-experiment-tag",
                     {"experiment_id": experiment_id, "key": "toolong", "value": "v" * 20001})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE")
    assert "toolong" not in client.get_experiment(experiment_id).tags


def test_experiment_name_too_long(rest, unique_name):
    assert_error(rest.post("experiments/create", {"name": "x" * 501}), 400, "INVALID_PARAMETER_VALUE",
                 "exceeds the maximum length of 500 characters")
