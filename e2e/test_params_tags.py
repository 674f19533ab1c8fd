"""Params and run tags."""

import mlflow
import pytest
from mlflow.exceptions import MlflowException

from helpers import assert_error, make_run


def test_log_params_fluent(client, active_experiment):
    with mlflow.start_run() as run:
        mlflow.log_param("lr", 0.01)
        mlflow.log_param("layers", 3)
        mlflow.log_params({"opt": "adam", "flag": True, "none": None, "list": [1, 2]})
    params = client.get_run(run.info.run_id).data.params
    assert params == {"lr": "0.01", "layers": "3", "opt": "adam", "flag": "True", "none": "None",
                      "list": "[1, 2]"}


def test_relog_same_param_value_is_ok(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "p", "1")
    client.log_param(run_id, "p", "1")
    client.log_batch(run_id, params=[mlflow.entities.Param("p", "1")])
    assert client.get_run(run_id).data.params == {"p": "1"}


def test_changing_param_value_fails(client, rest, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "lr", "0.01")
    with pytest.raises(MlflowException) as ei:
        client.log_param(run_id, "lr", "0.5")
    assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Changing param values is not allowed" in ei.value.message

    body = assert_error(rest.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.5"}), 400,
                        "INVALID_PARAMETER_VALUE")
    assert body["message"] == (
        f"Changing param values is not allowed. Param with key='lr' was already logged with value='0.01' "
        f"for run ID='{run_id}'. Attempted logging new value '0.5'.")

    body = assert_error(rest.post("runs/log-batch", {"run_id": run_id, "params": [{"key": "lr", "value": "0.02"}]}),
                        400, "INVALID_PARAMETER_VALUE")
    assert body["message"] == (
        "Changing param values is not allowed. Params were already logged="
        f"'[{{'key': 'lr', 'old_value': '0.01', 'new_value': '0.02'}}]' for run ID='{run_id}'.")
    assert client.get_run(run_id).data.params == {"lr": "0.01"}


def test_param_value_truncated_to_6000(client, rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    value = "".join(chr(ord("a") + i % 26) for i in range(6001))
    resp = rest.post("runs/log-parameter", {"run_id": run_id, "key": "big", "value": value})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {}
    assert client.get_run(run_id).data.params["big"] == value[:6000]
    # via log-batch too
    resp = rest.post("runs/log-batch", {"run_id": run_id, "params": [{"key": "big2", "value": "y" * 7000}]})
    assert resp.status_code == 200, resp.text
    assert client.get_run(run_id).data.params["big2"] == "y" * 6000
    # exactly 6000 is kept as is
    client.log_param(run_id, "exact", "z" * 6000)
    assert client.get_run(run_id).data.params["exact"] == "z" * 6000


def test_tag_value_truncated_to_8000(client, rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/set-tag", {"run_id": run_id, "key": "big", "value": "t" * 8001})
    assert resp.status_code == 200, resp.text
    assert client.get_run(run_id).data.tags["big"] == "t" * 8000
    resp = rest.post("runs/log-batch", {"run_id": run_id, "tags": [{"key": "big2", "value": "u" * 9000}]})
    assert resp.status_code == 200, resp.text
    assert client.get_run(run_id).data.tags["big2"] == "u" * 8000


def test_key_length_limit(client, rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert_error(rest.post("runs/log-parameter", {"run_id": run_id, "key": "p" * 251, "value": "1"}), 400,
                 "INVALID_PARAMETER_VALUE", "'Param key' exceeds the maximum length of 250 characters")
    assert_error(rest.post("runs/set-tag", {"run_id": run_id, "key": "t" * 251, "value": "1"}), 400,
                 "INVALID_PARAMETER_VALUE", "exceeds the maximum length of 250 characters")
    client.log_param(run_id, "p" * 250, "1")
    client.set_tag(run_id, "t" * 250, "1")
    run = client.get_run(run_id)
    assert run.data.params == {"p" * 250: "1"}
    assert run.data.tags["t" * 250] == "1"


@pytest.mark.parametrize("key,resolved", [("a/../b", "b"), ("x/./y", "x/y"), ("/abs", "/abs")])
def test_path_like_keys_rejected(rest, experiment_id, key, resolved):
    run_id = make_run(rest, experiment_id)["run_id"]
    for path, body in (("runs/log-parameter", {"key": key, "value": "1"}),
                       ("runs/set-tag", {"key": key, "value": "1"})):
        assert_error(rest.post(path, {"run_id": run_id, **body}), 400, "INVALID_PARAMETER_VALUE",
                     f'Invalid value "{key}" for parameter \'key\' supplied',
                     "Names may be treated as files in certain cases",
                     f"This name would resolve to '{resolved}'")
    data = rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert "params" not in data
    assert [t["key"] for t in data["tags"]] == ["mlflow.runName"]


def test_allowed_key_characters(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    keys = ["with space", "colon:key", "slash/key", "dot.dash-under_score", "a..b", "ünï"]
    for key in keys:
        client.log_param(run_id, key, "v")
        client.set_tag(run_id, key, "v")
    run = client.get_run(run_id)
    assert set(run.data.params) == set(keys)
    assert set(keys) <= set(run.data.tags)


def test_param_value_type_checked(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert_error(rest.post("runs/log-parameter", {"run_id": run_id, "key": "p", "value": 5}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid value 5 for parameter 'value' supplied")
    assert_error(rest.post("runs/log-parameter", {"run_id": run_id, "value": "v"}), 400,
                 "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'key'")


def test_set_tags_and_delete_tag(client, active_experiment):
    with mlflow.start_run() as run:
        mlflow.set_tag("single", "1")
        mlflow.set_tags({"a": "x", "b": 2, "single": "overwritten"})
        mlflow.set_tag("gone", "soon")
        mlflow.delete_tag("gone")
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["single"] == "overwritten"
    assert tags["a"] == "x"
    assert tags["b"] == "2"
    assert "gone" not in tags


def test_delete_missing_tag(client, rest, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    with pytest.raises(MlflowException) as ei:
        client.delete_tag(run_id, "nope")
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert_error(rest.post("runs/delete-tag", {"run_id": run_id, "key": "nope"}), 404, "RESOURCE_DOES_NOT_EXIST",
                 f"No tag with name: nope in run with id {run_id}")


def test_tags_rest_shape(rest, experiment_id):
    run_id = make_run(rest, experiment_id, run_name="r")["run_id"]
    resp = rest.post("runs/set-tag", {"run_id": run_id, "key": "note", "value": "hi"})
    assert resp.status_code == 200 and resp.json() == {}
    resp = rest.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.01"})
    assert resp.status_code == 200 and resp.json() == {}
    resp = rest.post("runs/delete-tag", {"run_id": run_id, "key": "note"})
    assert resp.status_code == 200 and resp.json() == {}
    data = rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert data == {"params": [{"key": "lr", "value": "0.01"}],
                    "tags": [{"key": "mlflow.runName", "value": "r"}]}


def test_empty_tag_value(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.set_tag(run_id, "empty", "")
    client.log_param(run_id, "empty", "")
    run = client.get_run(run_id)
    assert run.data.tags["empty"] == ""
    assert run.data.params["empty"] == ""
