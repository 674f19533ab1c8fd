"""Error responses: HTTP status, error_code, message and the exact body layout."""

import pytest
from mlflow.exceptions import MlflowException, RestException

from helpers import assert_error, make_run


def test_error_body_layout(rest):
    missing = "0" * 32
    resp = rest.get("runs/get", {"run_id": missing})
    assert resp.status_code == 404
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.json() == {
        "error_code": "RESOURCE_DOES_NOT_EXIST",
        "message": f"Run with id={missing} not found",
        "sqlstate": "KAM00",
        "error_class": "RESOURCE_NOT_FOUND",
    }
    resp = rest.get("runs/get")
    assert resp.status_code == 400
    assert resp.json() == {
        "error_code": "INVALID_PARAMETER_VALUE",
        "message": "Missing value for required parameter 'run_id'. "
                   "See the API docs for more information about request parameters.",
        "sqlstate": "KAM00",
        "error_class": "INVALID_PARAMETER_VALUE",
    }


def test_client_get_run_missing_raises_rest_exception(client):
    with pytest.raises(RestException) as ei:
        client.get_run("1" * 32)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert ei.value.get_http_status_code() == 404


def test_get_experiment_errors(rest):
    assert rest.get("experiments/get", {"experiment_id": "987654"}).json() == {
        "error_code": "RESOURCE_DOES_NOT_EXIST",
        "message": "No Experiment with id=987654 exists",
        "sqlstate": "KAM00",
        "error_class": "RESOURCE_NOT_FOUND",
    }
    assert_error(rest.get("experiments/get", {"experiment_id": "987654"}), 404, "RESOURCE_DOES_NOT_EXIST")
    assert_error(rest.get("experiments/get", {"experiment_id": "abc"}), 400, "INVALID_PARAMETER_VALUE",
                 "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.")
    assert_error(rest.get("experiments/get"), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'experiment_id'.")
    assert_error(rest.get("experiments/get-by-name"), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'experiment_name'.")


def test_create_experiment_errors(rest):
    missing = "Missing value for required parameter 'name'. See the API docs for more information about request parameters."
    body = assert_error(rest.post("experiments/create", {}), 400, "INVALID_PARAMETER_VALUE")
    assert body == {"error_code": "INVALID_PARAMETER_VALUE", "message": missing, "sqlstate": "KAM00",
                    "error_class": "INVALID_PARAMETER_VALUE"}
    assert_error(rest.post("experiments/create", {"name": ""}), 400, "INVALID_PARAMETER_VALUE", missing)
    assert_error(rest.post("experiments/create", {"name": 123}), 400, "INVALID_PARAMETER_VALUE",
                 "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'. "
                 "See the API docs for more information about request parameters.")
    # a malformed JSON body is treated like an empty one
    resp = rest.post("experiments/create", data="{not json", headers={"Content-Type": "application/json"})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", missing)
    resp = rest.post("experiments/create", data='{"name": "x"}', headers={"Content-Type": "text/plain"})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "Content-Type must be one of ['application/json']")


def test_create_run_errors(rest, client, experiment_id):
    assert_error(rest.post("runs/create", {"experiment_id": "987654"}), 404, "RESOURCE_DOES_NOT_EXIST",
                 "No Experiment with id=987654 exists")
    assert_error(rest.post("runs/create", {"experiment_id": "abc"}), 400, "INVALID_PARAMETER_VALUE",
                 "Invalid experiment ID 'abc'. Experiment ID must be a valid integer.")
    assert_error(rest.post("runs/create", {"experiment_id": 5}), 400, "INVALID_PARAMETER_VALUE",
                 "Invalid value 5 for parameter 'experiment_id' supplied")
    # MLflow does not default to experiment 0 (only the client does): the insert hits the foreign key
    assert_error(rest.post("runs/create", {"run_name": "no-exp"}), 400, "BAD_REQUEST")

    client.delete_experiment(experiment_id)
    assert_error(rest.post("runs/create", {"experiment_id": experiment_id}), 400, "INVALID_PARAMETER_VALUE",
                 f"The experiment {experiment_id} must be in the 'active' state. Current state is deleted.")


def test_writes_to_deleted_run(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert rest.post("runs/delete", {"run_id": run_id}).json() == {}
    msg = f"The run {run_id} must be in the 'active' state. Current state is deleted."
    assert_error(rest.post("runs/set-tag", {"run_id": run_id, "key": "x", "value": "y"}), 400,
                 "INVALID_PARAMETER_VALUE", msg)
    assert_error(rest.post("runs/log-parameter", {"run_id": run_id, "key": "x", "value": "y"}), 400,
                 "INVALID_PARAMETER_VALUE", msg)
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "x", "value": 1, "timestamp": 1}), 400,
                 "INVALID_PARAMETER_VALUE", msg)
    assert_error(rest.post("runs/log-batch", {"run_id": run_id, "params": [{"key": "x", "value": "y"}]}), 400,
                 "INVALID_PARAMETER_VALUE", msg)
    # reads still work
    assert rest.get("runs/get", {"run_id": run_id}).json()["run"]["info"]["lifecycle_stage"] == "deleted"


def test_delete_and_restore_run_are_idempotent(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    for path in ("runs/delete", "runs/delete", "runs/restore", "runs/restore"):
        resp = rest.post(path, {"run_id": run_id})
        assert resp.status_code == 200 and resp.json() == {}, (path, resp.text)
    assert rest.get("runs/get", {"run_id": run_id}).json()["run"]["info"]["lifecycle_stage"] == "active"


def test_restore_active_experiment(rest, experiment_id):
    # MLflow only finds *deleted* experiments when restoring: an active one is reported as missing
    assert_error(rest.post("experiments/restore", {"experiment_id": experiment_id}), 404,
                 "RESOURCE_DOES_NOT_EXIST", f"No Experiment with id={experiment_id} exists")


def test_update_unknown_run(client):
    with pytest.raises(MlflowException) as ei:
        client.set_terminated("2" * 32)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_unknown_run_writes(rest):
    missing = "3" * 32
    for path, body in (("runs/set-tag", {"key": "k", "value": "v"}),
                       ("runs/log-parameter", {"key": "k", "value": "v"}),
                       ("runs/delete-tag", {"key": "k"}),
                       ("runs/update", {"status": "FINISHED"}),
                       ("runs/delete", {}),
                       ("runs/restore", {})):
        assert_error(rest.post(path, {"run_id": missing, **body}), 404, "RESOURCE_DOES_NOT_EXIST",
                     f"Run with id={missing} not found")


def test_unknown_experiment_writes(rest):
    for path, body in (("experiments/update", {"new_name": "whatever-unused-name"}),
                       ("experiments/set-experiment-tag", {"key": "k", "value": "v"}),
                       ("experiments/delete", {})):
        assert_error(rest.post(path, {"experiment_id": "987654", **body}), 404, "RESOURCE_DOES_NOT_EXIST",
                     "No Experiment with id=987654 exists")


def test_set_tag_requires_key(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert_error(rest.post("runs/set-tag", {"run_id": run_id, "value": "v"}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'key'")


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/2.0/mlflow/experiments/get/?experiment_id=0"),
    ("POST", "/ajax-api/2.0/mlflow/experiments/search/"),
    ("POST", "/api/2.0/mlflow/experiments/create/"),
    ("GET", "/health/"),
])
def test_trailing_slash_is_an_unknown_path(rest, method, path):
    """MLflow's routes are strict about slashes: the path with one more `/` is not found (MLflow
    answers Flask's HTML page, this server its JSON ENDPOINT_NOT_FOUND), and nothing is written."""
    resp = rest.root.request(method, path, json={"name": "trailing-slash-experiment"} if method == "POST" else None)
    assert resp.status_code == 404
    assert rest.get("experiments/get-by-name", {"experiment_name": "trailing-slash-experiment"}).status_code == 404
