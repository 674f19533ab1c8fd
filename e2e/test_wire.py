"""Request JSON as protobuf's JSON mapping reads it: every field under its proto name (`run_name`)
or its lowerCamelCase JSON name (`runName`), never both; required fields checked under proto names."""

import pytest

from helpers import assert_error, now_ms


def test_create_run_with_json_names(rest, experiment_id):
    started = now_ms()
    resp = rest.post("runs/create", {"experimentId": experiment_id, "runName": "camel-run", "startTime": started,
                                     "userId": "camel-user", "tags": [{"key": "k", "value": "v"}]})
    assert resp.status_code == 200, resp.text
    info = resp.json()["run"]["info"]
    assert (info["experiment_id"], info["run_name"], info["start_time"], info["user_id"]) == (
        experiment_id, "camel-run", started, "camel-user")
    got = rest.get("runs/get", {"run_id": info["run_id"]}).json()["run"]
    assert {"key": "k", "value": "v"} in got["data"]["tags"]


def test_both_spellings_of_a_field_are_refused(rest, experiment_id):
    resp = rest.post("runs/create", {"experiment_id": experiment_id, "run_name": "a", "runName": "b"})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE",
                 "Request specifies both 'run_name' and 'runName'; provide only one of them.")
    listed = rest.post("runs/search", {"experiment_ids": [experiment_id], "filter": "attributes.run_name IN ('a', 'b')"})
    assert listed.json().get("runs", []) == []


def test_nested_message_fields_by_json_name(rest, experiment_id):
    run_id = rest.post("runs/create", {"experiment_id": experiment_id}).json()["run"]["info"]["run_id"]
    resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "m", "value": 1.5, "timestamp": 7, "step": 2, "datasetName": "d", "datasetDigest": "g"}]})
    assert resp.status_code == 200, resp.text
    both = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "m", "value": 2.5, "timestamp": 8, "step": 3, "dataset_name": "a", "datasetName": "b"}]})
    assert_error(both, 400, "INVALID_PARAMETER_VALUE",
                 "Request specifies both 'dataset_name' and 'datasetName'; provide only one of them.")
    # Read under the JSON name: half a dataset reference is refused as MLflow refuses it.
    half = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "m", "value": 3.5, "timestamp": 9, "step": 4, "datasetName": "d"}]})
    assert_error(half, 400, "INVALID_PARAMETER_VALUE", "Both dataset_name and dataset_digest must be provided if one is provided")
    history = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"}).json()["metrics"]
    assert [(m["value"], m["step"]) for m in history] == [(1.5, 2)]


@pytest.mark.parametrize("path,extra", [
    ("runs/log-metric", {"key": "m", "value": 1.0, "timestamp": 1, "dataset_name": "d"}),
    ("runs/log-metric", {"key": "m", "value": 1.0, "timestamp": 1, "dataset_name": "", "dataset_digest": "g"}),
    ("runs/log-batch", {"metrics": [{"key": "m", "value": 1.0, "timestamp": 1},
                                    {"key": "n", "value": 1.0, "timestamp": 1, "dataset_digest": "g"}]}),
])
def test_half_a_dataset_reference_is_refused(rest, experiment_id, path, extra):
    """MLflow's Metric takes a dataset's name and digest together or neither, before the store
    writes anything."""
    run_id = rest.post("runs/create", {"experiment_id": experiment_id}).json()["run"]["info"]["run_id"]
    assert_error(rest.post(path, {"run_id": run_id, **extra}), 400, "INVALID_PARAMETER_VALUE",
                 "Both dataset_name and dataset_digest must be provided if one is provided")
    assert rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"].get("metrics", []) == []


def test_search_with_json_names(rest, experiment_id):
    for name in ("s1", "s2", "s3"):
        rest.post("runs/create", {"experiment_id": experiment_id, "run_name": name})
    resp = rest.post("runs/search", {"experimentIds": [experiment_id], "maxResults": 2, "orderBy": ["attributes.run_name ASC"],
                                     "runViewType": "ACTIVE_ONLY"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [r["info"]["run_name"] for r in body["runs"]] == ["s1", "s2"]
    assert body["next_page_token"]
    page = rest.post("runs/search", {"experimentIds": [experiment_id], "maxResults": 2, "orderBy": ["attributes.run_name ASC"],
                                     "pageToken": body["next_page_token"]}).json()
    assert [r["info"]["run_name"] for r in page["runs"]] == ["s3"]


@pytest.mark.parametrize("path,body", [
    ("runs/log-metric", {"runId": "x", "key": "m", "value": 1.0, "timestamp": 1}),
    ("runs/set-tag", {"runId": "x", "key": "k", "value": "v"}),
    ("runs/delete", {"runId": "x"}),
])
def test_required_fields_are_checked_under_proto_names(rest, path, body):
    resp = rest.post(path, body)
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'run_id'")
