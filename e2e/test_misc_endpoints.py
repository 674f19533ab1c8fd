"""Health, version, server-info, routing (404/405), ajax twins, run_uuid alias."""

import pytest

from helpers import assert_error, is_ours, make_run, mlflow_server_since, now_ms, server_mlflow_version


def test_health(rest):
    resp = rest.root.get("/health")
    assert resp.status_code == 200
    assert resp.text == "OK"
    assert resp.headers["Content-Type"].startswith("text/plain")


def test_version(rest):
    resp = rest.root.get("/version")
    assert resp.status_code == 200
    # The newest MLflow release whose API the server implements (ours), or mlflow's own version.
    assert resp.text == ".".join(map(str, server_mlflow_version()))


def test_server_info(rest):
    resp = rest.root.get("/api/3.0/mlflow/server-info")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    info = resp.json()
    assert info["store_type"] == "SqlStore"
    assert info["workspaces_enabled"] is False
    assert info["trace_archival_enabled"] is False
    assert info["multipart_uploads_enabled"] is False
    assert info["multipart_downloads_enabled"] is False
    keys = {"store_type", "workspaces_enabled", "trace_archival_enabled", "multipart_uploads_enabled",
            "multipart_downloads_enabled", "presigned_upload_run_id_supported", "presigned_upload_model_id_supported",
            "features_enabled"}
    features = dict(info["features_enabled"])
    if mlflow_server_since("3.18.0"):
        # MLflow 3.18.0 adds flags for features ours lacks (artifact serving, skills, presigned
        # downloads, auth, scheduled issue detection); its client reads only artifacts_presigned_only
        # (for mlflow-artifacts:// locations, false when missing). Ours answers 3.17.2's keys.
        keys |= {"artifact_serving_enabled", "skill_content_max_size", "skill_content_max_files",
                 "model_artifact_presigned_downloads_supported", "tracking_auth", "artifacts_presigned_only"}
        assert features.pop("scheduled_issue_detection") is False
    assert set(info) == keys
    # MLflow hard-codes both presigned flags to true and enables its AI gateway. Deliberate difference:
    # ours has neither presigned uploads nor a gateway, so it says so (the client reads only store_type,
    # workspaces_enabled and the multipart flags).
    offered = not is_ours()
    assert info["presigned_upload_run_id_supported"] is offered
    assert info["presigned_upload_model_id_supported"] is offered
    assert features == {"gateway": offered}


def test_ajax_server_info(rest):
    resp = rest.root.get("/ajax-api/3.0/mlflow/server-info")
    assert resp.status_code == 200
    assert resp.json()["store_type"] == "SqlStore"


@pytest.mark.parametrize("path", ["/api/2.0/mlflow/nope", "/api/2.0/mlflow/runs/nope", "/ajax-api/2.0/mlflow/nope",
                                  "/api/2.0/nope"])
def test_unknown_endpoint(rest, path):
    for method in ("GET", "POST"):
        resp = rest.root.request(method, path, json={} if method == "POST" else None)
        assert resp.status_code == 404, (method, path, resp.text[:200])
        if is_ours():  # MLflow itself answers with Flask's HTML 404 page
            assert_error(resp, 404, "ENDPOINT_NOT_FOUND")


@pytest.mark.parametrize("method,path", [
    ("GET", "runs/create"), ("PUT", "runs/create"), ("POST", "runs/get"), ("DELETE", "experiments/get"),
    ("POST", "experiments/get-by-name"), ("GET", "runs/log-batch"), ("POST", "metrics/get-history"),
    ("GET", "runs/update"),
])
def test_wrong_method(rest, method, path):
    assert rest.request(method, path).status_code == 405
    assert rest.ajax.request(method, path).status_code == 405


def test_success_responses_are_json(rest, experiment_id):
    resp = rest.get("experiments/get", {"experiment_id": experiment_id})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")


def test_ajax_twins(rest, client, unique_name):
    name = unique_name()
    resp = rest.ajax.post("experiments/create", {"name": name})
    assert resp.status_code == 200
    exp_id = resp.json()["experiment_id"]
    assert rest.ajax.get("experiments/get-by-name", {"experiment_name": name}).json() == \
        rest.get("experiments/get-by-name", {"experiment_name": name}).json()
    run_id = rest.ajax.post("runs/create", {"experiment_id": exp_id, "start_time": now_ms()}).json()["run"]["info"]["run_id"]
    assert rest.ajax.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0, "timestamp": 5,
                                              "step": 2}).json() == {}
    assert rest.ajax.post("runs/set-tag", {"run_id": run_id, "key": "t", "value": "v"}).json() == {}
    assert rest.ajax.get("runs/get", {"run_id": run_id}).json() == rest.get("runs/get", {"run_id": run_id}).json()
    assert rest.ajax.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"}).json() == {
        "metrics": [{"key": "m", "value": 1.0, "timestamp": 5, "step": 2}]}
    assert_error(rest.ajax.get("runs/get", {"run_id": "0" * 32}), 404, "RESOURCE_DOES_NOT_EXIST")
    assert client.get_run(run_id).data.tags["t"] == "v"


def test_run_uuid_accepted_in_place_of_run_id(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    ok = {}
    assert rest.post("runs/log-metric", {"run_uuid": run_id, "key": "m", "value": 1.0, "timestamp": 10}).json() == ok
    assert rest.post("runs/log-parameter", {"run_uuid": run_id, "key": "p", "value": "v"}).json() == ok
    assert rest.post("runs/set-tag", {"run_uuid": run_id, "key": "t", "value": "v"}).json() == ok
    got = rest.get("runs/get", {"run_uuid": run_id})
    assert got.status_code == 200
    assert got.json()["run"]["info"]["run_id"] == run_id
    hist = rest.get("metrics/get-history", {"run_uuid": run_id, "metric_key": "m"}).json()
    assert hist == {"metrics": [{"key": "m", "value": 1.0, "timestamp": 10, "step": 0}]}
    resp = rest.post("runs/update", {"run_uuid": run_id, "status": "FINISHED", "end_time": 20})
    assert resp.json()["run_info"]["status"] == "FINISHED"
    run = client.get_run(run_id)
    assert run.data.params == {"p": "v"} and run.data.tags["t"] == "v" and run.info.end_time == 20


def test_run_id_wins_over_run_uuid(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    other = "0" * 32
    resp = rest.post("runs/set-tag", {"run_id": run_id, "run_uuid": other, "key": "t", "value": "v"})
    assert resp.status_code == 200
    assert rest.get("runs/get", {"run_id": run_id, "run_uuid": other}).json()["run"]["info"]["run_id"] == run_id
    assert client.get_run(run_id).data.tags["t"] == "v"


def test_run_uuid_not_accepted_everywhere(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    rest.post("runs/set-tag", {"run_id": run_id, "key": "t", "value": "v"})
    # DeleteTag / DeleteRun have no run_uuid field, so the id is taken to be empty
    assert_error(rest.post("runs/delete-tag", {"run_uuid": run_id, "key": "t"}), 404, "RESOURCE_DOES_NOT_EXIST",
                 "Run with id= not found")
    assert_error(rest.post("runs/delete", {"run_uuid": run_id}), 404, "RESOURCE_DOES_NOT_EXIST",
                 "Run with id= not found")


def test_presigned_download_url_for_a_local_artifact_root(rest, experiment_id):
    """The UI asks for a presigned URL before reading an artifact (3.18.0's model version page):
    MLflow's checks, then its 501 for a repository that cannot presign (a local root)."""
    run_id = rest.post("runs/create", {"experiment_id": experiment_id}).json()["run"]["info"]["run_id"]
    for prefix in (rest, rest.ajax):
        assert_error(prefix.post("artifacts/presigned-download-url", {"run_id": run_id, "path": "model/MLmodel"}),
                     501, "NOT_IMPLEMENTED", "Presigned download is not supported for the current artifact repository")
    assert_error(rest.post("artifacts/presigned-download-url", {"run_id": run_id}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'path'")
    assert_error(rest.post("artifacts/presigned-download-url", {"run_id": run_id, "path": "../x"}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid path")
    assert_error(rest.post("artifacts/presigned-download-url", {"run_id": run_id, "path": "x", "expiration": 0}), 400,
                 "INVALID_PARAMETER_VALUE", "expiration must be between 1 and 604800 seconds (got 0).")
    assert_error(rest.post("artifacts/presigned-download-url", {"run_id": "0" * 32, "path": "x"}), 404,
                 "RESOURCE_DOES_NOT_EXIST")
