"""What MLflow's web UI calls besides the tracking API: GraphQL, the bundle's files, artifact
listing, dataset summaries, the empty answers for features without data, and MLflow 3's security
headers and Host check. Runs against ours and a real `mlflow server` (E2E_SERVER=mlflow)."""

import gzip
from pathlib import Path

import mlflow
import numpy as np
import pytest
import requests

from helpers import assert_error, is_ours, mlflow_server_since

GET_RUN = """query GetRun($data: MlflowGetRunInput!) @component(name: "MLflow.ExperimentRunTracking") {
  mlflowGetRun(input: $data) {
    apiError { helpUrl code message __typename }
    run {
      info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId __typename }
      experiment { experimentId name tags { key value __typename } artifactLocation lifecycleStage lastUpdateTime __typename }
      modelVersions { status version name source __typename }
      data {
        metrics { key value step timestamp __typename }
        params { key value __typename }
        tags { key value __typename }
        __typename
      }
      inputs {
        datasetInputs { dataset { digest name profile schema source sourceType __typename } tags { key value __typename } __typename }
        modelInputs { modelId __typename }
        __typename
      }
      outputs { modelOutputs { modelId step __typename } __typename }
      __typename
    }
    __typename
  }
}"""

GET_EXPERIMENT = """query MlflowGetExperimentQuery($input: MlflowGetExperimentInput!) @component(name: "MLflow.ExperimentRunTracking") {
  mlflowGetExperiment(input: $input) {
    apiError { code message __typename }
    experiment { artifactLocation creationTime effectiveTraceArchivalRetention experimentId lastUpdateTime lifecycleStage name tags { key value __typename } __typename }
    __typename
  }
}"""


def graphql(server, query, variables=None, operation=None):
    resp = requests.post(server.url + "/graphql", json={"query": query, "variables": variables or {},
                                                        "operationName": operation}, timeout=60)
    assert resp.status_code == 200, resp.text
    return resp.json()


@pytest.fixture
def logged_run(server, experiment_id):
    with mlflow.start_run(experiment_id=experiment_id, run_name="ui-run") as run:
        mlflow.log_params({"lr": "0.1", "depth": "3"})
        mlflow.set_tag("team", "vision")
        for step in range(5):
            mlflow.log_metric("acc", 0.5 + step / 10, step=step)
        mlflow.log_metric("nan_metric", float("nan"))
        mlflow.log_text("hello", "notes/readme.txt")
        mlflow.log_dict({"a": 1}, "config.json")
        mlflow.log_input(mlflow.data.from_numpy(np.array([[1, 2], [3, 4]]), name="toy"), context="training")
    return run.info


def test_graphql_get_run_as_the_ui_asks(server, logged_run):
    body = graphql(server, GET_RUN, {"data": {"runId": logged_run.run_id}}, "GetRun")
    assert body["errors"] is None
    result = body["data"]["mlflowGetRun"]
    assert result["__typename"] == "MlflowGetRunResponse"
    assert result["apiError"] is None
    run = result["run"]
    info = run["info"]
    assert info == {"__typename": "MlflowRunInfo", "runName": "ui-run", "status": "FINISHED", "runUuid": logged_run.run_id,
                    "experimentId": logged_run.experiment_id, "artifactUri": logged_run.artifact_uri,
                    "endTime": str(mlflow.get_run(logged_run.run_id).info.end_time),
                    "lifecycleStage": "active", "startTime": str(logged_run.start_time), "userId": logged_run.user_id}
    assert run["experiment"]["experimentId"] == logged_run.experiment_id
    assert run["experiment"]["__typename"] == "MlflowExperiment"
    assert run["modelVersions"] == []
    metrics = {m["key"]: m for m in run["data"]["metrics"]}
    assert metrics["acc"] == {"__typename": "MlflowMetricExtension", "key": "acc", "value": 0.9, "step": "4",
                              "timestamp": metrics["acc"]["timestamp"]}
    assert metrics["acc"]["timestamp"].isdigit()
    assert metrics["nan_metric"]["value"] is None
    assert {p["key"]: p["value"] for p in run["data"]["params"]} == {"lr": "0.1", "depth": "3"}
    assert {t["key"]: t["value"] for t in run["data"]["tags"]}["team"] == "vision"
    inputs = run["inputs"]["datasetInputs"]
    assert [i["dataset"]["name"] for i in inputs] == ["toy"]
    assert inputs[0]["dataset"]["__typename"] == "MlflowDataset"
    assert {t["key"]: t["value"] for t in inputs[0]["tags"]} == {"mlflow.data.context": "training"}
    assert run["inputs"]["modelInputs"] == []
    assert run["outputs"] == {"__typename": "MlflowRunOutputs", "modelOutputs": []}


def test_graphql_running_run_reads_proto_defaults(server, client, experiment_id):
    run = client.create_run(experiment_id)
    body = graphql(server, "{ mlflowGetRun(input: {runId: \"%s\"}) { run { info { endTime status } "
                           "data { params { key } } } } }" % run.info.run_id)
    assert body == {"data": {"mlflowGetRun": {"run": {"info": {"endTime": "0", "status": "RUNNING"},
                                                      "data": {"params": []}}}}, "errors": None}


def test_graphql_get_experiment_and_errors(server, client, experiment_id):
    client.set_experiment_tag(experiment_id, "owner", "ml")
    body = graphql(server, GET_EXPERIMENT, {"input": {"experimentId": experiment_id}}, "MlflowGetExperimentQuery")
    assert body["errors"] is None
    experiment = body["data"]["mlflowGetExperiment"]["experiment"]
    assert experiment["experimentId"] == experiment_id
    assert experiment["effectiveTraceArchivalRetention"] == ""
    assert experiment["creationTime"].isdigit()
    assert experiment["tags"] == [{"__typename": "MlflowExperimentTag", "key": "owner", "value": "ml"}]
    missing = graphql(server, GET_RUN, {"data": {"runId": "0" * 32}}, "GetRun")
    assert missing == {"data": {"mlflowGetRun": None}, "errors": [f"Run with id={'0' * 32} not found"]}
    unknown = graphql(server, "{ nope }")
    assert unknown == {"data": None, "errors": ["Cannot query field 'nope' on type 'Query'."]}


def test_graphql_limits(server):
    fields = " ".join(f'a{i}: test(inputString: "x") {{ output }}' for i in range(11))
    body = graphql(server, "{ %s }" % fields)
    assert body == {"data": None, "errors": [
        "GraphQL queries should have at most 10 root fields, got 11 root fields. To increase the limit, set the "
        "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS environment variable."]}
    assert graphql(server, '{ a: test(inputString: "hi") { output } }') == {"data": {"a": {"output": "hi"}}, "errors": None}


def test_graphql_search_runs_and_bulk_interval(server, logged_run):
    body = graphql(server, "{ mlflowSearchRuns(input: {experimentIds: [\"%s\"], filter: \"params.lr = '0.1'\"}) "
                           "{ runs { info { runId } experiment { name } } nextPageToken } "
                           "mlflowGetMetricHistoryBulkInterval(input: {runIds: [\"%s\"], metricKey: \"acc\"}) "
                           "{ metrics { step value runId } } }" % (logged_run.experiment_id, logged_run.run_id))
    assert body["errors"] is None
    assert [r["info"]["runId"] for r in body["data"]["mlflowSearchRuns"]["runs"]] == [logged_run.run_id]
    points = body["data"]["mlflowGetMetricHistoryBulkInterval"]["metrics"]
    assert [p["step"] for p in points] == ["0", "1", "2", "3", "4"]
    assert points[0]["runId"] == logged_run.run_id


def test_list_artifacts_of_a_local_run(rest, logged_run):
    top = rest.ajax.get("artifacts/list", {"run_uuid": logged_run.run_id})
    assert top.status_code == 200, top.text
    body = top.json()
    assert body["root_uri"] == logged_run.artifact_uri
    assert body["files"] == [{"path": "config.json", "is_dir": False, "file_size": 12},
                             {"path": "notes", "is_dir": True}]
    nested = rest.get("artifacts/list", {"run_id": logged_run.run_id, "path": "notes"}).json()
    assert nested["files"] == [{"path": "notes/readme.txt", "is_dir": False, "file_size": 5}]
    assert_error(rest.get("artifacts/list", {"run_id": logged_run.run_id, "path": "../x"}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid path")


def test_get_artifact_for_the_ui_preview(rest, logged_run):
    resp = rest.root.get("/get-artifact", {"run_uuid": logged_run.run_id, "path": "notes/readme.txt"})
    assert resp.status_code == 200, resp.text
    assert resp.content == b"hello"
    assert resp.headers["Content-Type"] == "text/plain"
    assert resp.headers["Content-Disposition"] == "attachment; filename=readme.txt"
    assert_error(rest.root.get("/get-artifact", {"run_id": logged_run.run_id, "path": "notes"}), 400,
                 "INVALID_PARAMETER_VALUE", "Artifact path refers to a directory, not a file: 'notes'")
    assert_error(rest.root.get("/get-artifact", {"run_id": logged_run.run_id, "path": "nope.txt"}), 404,
                 "RESOURCE_DOES_NOT_EXIST", "No such artifact: 'nope.txt'")
    assert_error(rest.root.get("/get-artifact", {"run_id": logged_run.run_id, "path": "../../x"}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid path")


def test_search_datasets(rest, logged_run):
    resp = rest.ajax.post("experiments/search-datasets", {"experiment_ids": [logged_run.experiment_id]})
    assert resp.status_code == 200, resp.text
    [summary] = resp.json()["dataset_summaries"]
    assert summary["experiment_id"] == logged_run.experiment_id
    assert summary["name"] == "toy"
    assert summary["context"] == "training"
    assert_error(rest.ajax.post("experiments/search-datasets", {}), 400, "INVALID_PARAMETER_VALUE",
                 "SearchDatasets request must specify at least one experiment_id.")


@pytest.mark.parametrize("method,path,body,expected", [
    ("GET", "/ajax-api/3.0/mlflow/ui-telemetry", None,
     {"disable_ui_events": [], "disable_ui_telemetry": True, "ui_rollout_percentage": 0}),
    ("GET", "/ajax-api/2.0/mlflow/gateway-proxy?gateway_path=api%2F2.0%2Fendpoints%2F", None, {"endpoints": []}),
    ("POST", "/ajax-api/3.0/mlflow/datasets/search", {"experiment_ids": ["0"], "max_results": 50}, {}),
    ("GET", "/ajax-api/3.0/mlflow/scorers/list?experiment_id=0", None, {}),
    ("POST", "/ajax-api/3.0/mlflow/traces/search",
     {"locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "0"}}], "max_results": 25}, {}),
    ("POST", "/api/3.0/mlflow/traces/search",
     {"locations": [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": "0"}}]}, {}),
    ("POST", "/ajax-api/3.0/mlflow/traces/metrics",
     {"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "latency",
      "aggregations": [{"aggregation_type": "AVG"}]}, {}),
    ("POST", "/ajax-api/3.0/mlflow/traces/metrics",
     {"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "trace_count",
      "aggregations": [{"aggregation_type": "COUNT"}], "time_interval_seconds": 86400, "start_time_ms": 1,
      "end_time_ms": 86400000}, {}),
    ("POST", "/ajax-api/3.0/mlflow/traces/metrics",
     {"experiment_ids": ["0"], "view_type": "TRACES", "metric_name": "trace_count",
      "aggregations": [{"aggregation_type": "COUNT"}]},
     {"data_points": [{"metric_name": "trace_count", "values": {"COUNT": 0.0}}]}),
])
def test_features_without_data_answer_like_an_empty_mlflow(server, method, path, body, expected):
    resp = requests.request(method, server.url + path, json=body, timeout=60)
    assert resp.status_code == 200, resp.text
    assert resp.json() == expected


def test_assistant_endpoints_answer(server):
    config = requests.get(server.url + "/ajax-api/3.0/mlflow/assistant/config", timeout=60)
    expected = {"providers": {}, "projects": {}, "remote_access_allowed": False}
    if mlflow_server_since("3.18.0"):
        # 3.18.0 adds whether the caller may edit the assistant's server settings (true without auth).
        # Its UI reads a missing flag as false; ours has no assistant settings to edit.
        expected["can_edit_server_settings"] = True
    assert config.json() == expected
    providers = requests.get(server.url + "/ajax-api/3.0/mlflow/assistant/providers", timeout=60).json()
    # MLflow lists the providers it knows and probes whether each could run; none is configured here.
    assert not any(p.get("selected") for p in providers["providers"])


def test_index_and_static_files(server):
    index = requests.get(server.url + "/", timeout=60)
    assert index.status_code == 200
    assert index.headers["Content-Type"].startswith("text/html")
    assert '<div id="root"' in index.text
    script = index.text.split('src="static-files/', 1)[1].split('"', 1)[0]
    plain = requests.get(f"{server.url}/static-files/{script}", headers={"Accept-Encoding": "identity"}, timeout=60)
    assert plain.status_code == 200
    assert plain.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert plain.headers["Cache-Control"] == "public, max-age=2419200"
    assert len(plain.content) > 1_000_000
    missing = requests.get(server.url + "/static-files/static/js/nope.js", timeout=60)
    assert missing.status_code == 404


@pytest.mark.skipif(not is_ours(), reason="compression is ours: mlflow server sends the 4 MB script uncompressed")
def test_static_files_are_gzipped_for_browsers(server):
    index = requests.get(server.url + "/", timeout=60).text
    script = index.split('src="static-files/', 1)[1].split('"', 1)[0]
    raw = requests.get(f"{server.url}/static-files/{script}", headers={"Accept-Encoding": "gzip"}, stream=True,
                       timeout=60)
    assert raw.headers["Content-Encoding"] == "gzip"
    compressed = raw.raw.read(decode_content=False)
    plain = requests.get(f"{server.url}/static-files/{script}", headers={"Accept-Encoding": "identity"}, timeout=60)
    assert gzip.decompress(compressed) == plain.content
    assert len(compressed) < len(plain.content) / 2
    again = requests.get(f"{server.url}/static-files/{script}",
                         headers={"Accept-Encoding": "gzip", "If-None-Match": raw.headers["ETag"]}, timeout=60)
    assert again.status_code == 304


def test_security_headers_and_host_check(server):
    resp = requests.get(server.url + "/api/2.0/mlflow/experiments/search?max_results=1", timeout=60)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    rebinding = requests.get(server.url + "/api/2.0/mlflow/experiments/search?max_results=1",
                             headers={"Host": "attacker.example.com"}, timeout=60)
    assert rebinding.status_code == 403
    assert rebinding.text == "Invalid Host header - possible DNS rebinding attack detected"
    # Probes are answered whatever the Host (kubelet, load balancers).
    assert requests.get(server.url + "/health", headers={"Host": "attacker.example.com"}, timeout=60).status_code == 200
    blocked = requests.post(server.url + "/api/2.0/mlflow/experiments/create", json={"name": "cors-e2e"},
                            headers={"Origin": "https://attacker.example.com"}, timeout=60)
    assert blocked.status_code == 403
    assert blocked.text == "Cross-origin request blocked"


def test_model_version_artifact_for_the_version_page(rest, client, logged_run, unique_name):
    # The version page reads the version's MLmodel through this route.
    client.log_text(logged_run.run_id, "flavors: {}\n", "model/MLmodel")
    name = unique_name("model")
    client.create_registered_model(name)
    version = client.create_model_version(name, f"{logged_run.artifact_uri}/model", run_id=logged_run.run_id)
    resp = rest.root.get("/model-versions/get-artifact", {"path": "MLmodel", "name": name, "version": version.version})
    assert resp.status_code == 200, resp.text
    assert resp.content == b"flavors: {}\n"
    assert resp.headers["Content-Type"] == "text/plain"
    missing = rest.root.get("/model-versions/get-artifact", {"path": "nope.txt", "name": name, "version": version.version})
    assert_error(missing, 404, "RESOURCE_DOES_NOT_EXIST", "No such artifact: 'nope.txt'")
