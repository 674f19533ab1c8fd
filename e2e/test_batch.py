"""runs/log-batch: client.log_batch, limits, atomicity."""

import math

import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

from helpers import assert_error, make_run, now_ms


def test_client_log_batch(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    ts = now_ms()
    client.log_batch(
        run_id,
        metrics=[Metric("loss", 0.5, ts, 0), Metric("loss", 0.25, ts + 1, 1), Metric("acc", 0.9, ts, 1)],
        params=[Param("lr", "0.01"), Param("opt", "sgd")],
        tags=[RunTag("phase", "train")],
    )
    run = client.get_run(run_id)
    assert run.data.metrics == {"loss": 0.25, "acc": 0.9}
    assert run.data.params == {"lr": "0.01", "opt": "sgd"}
    assert run.data.tags["phase"] == "train"
    assert [(m.step, m.value) for m in client.get_metric_history(run_id, "loss")] == [(0, 0.5), (1, 0.25)]


def test_log_batch_rest(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/log-batch", {
        "run_id": run_id,
        "metrics": [{"key": "loss", "value": 0.5, "timestamp": 1700000001000, "step": 0},
                    {"key": "weird", "value": "NaN", "timestamp": 1700000003000, "step": 0},
                    {"key": "weird", "value": "Infinity", "timestamp": 1700000003000, "step": 1},
                    {"key": "weird", "value": "-Infinity", "timestamp": 1700000003000, "step": 2},
                    {"key": "nostep", "value": 1, "timestamp": 1700000003000}],
        "params": [{"key": "lr", "value": "0.01"}],
        "tags": [{"key": "phase", "value": "train"}],
    })
    assert resp.status_code == 200, resp.text
    assert resp.json() == {}
    weird = [m.value for m in client.get_metric_history(run_id, "weird")]
    assert math.isnan(weird[0]) and weird[1:] == [1.7976931348623157e308, -1.7976931348623157e308]
    [nostep] = client.get_metric_history(run_id, "nostep")
    assert nostep.step == 0  # step may be omitted -> 0


def test_empty_batch(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/log-batch", {"run_id": run_id})
    assert resp.status_code == 200 and resp.json() == {}
    resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [], "params": [], "tags": []})
    assert resp.status_code == 200 and resp.json() == {}


def test_log_batch_needs_run_id(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    # LogBatch has no deprecated run_uuid field (unlike log-metric/log-parameter/set-tag): it is ignored
    resp = rest.post("runs/log-batch", {"run_uuid": run_id, "params": [{"key": "p", "value": "1"}]})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "Invalid value \"\" for parameter 'run_id' supplied.")
    assert client.get_run(run_id).data.params == {}


def test_failed_batch_writes_nothing(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    client.log_param(run_id, "lr", "0.01")
    ts = now_ms()
    resp = rest.post("runs/log-batch", {
        "run_id": run_id,
        "metrics": [{"key": "loss", "value": float(i), "timestamp": ts, "step": i} for i in range(10)],
        "params": [{"key": "new", "value": "1"}, {"key": "lr", "value": "0.02"}],
        "tags": [{"key": "phase", "value": "train"}],
    })
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed")
    run = client.get_run(run_id)
    assert client.get_metric_history(run_id, "loss") == []
    assert run.data.metrics == {}
    assert run.data.params == {"lr": "0.01"}
    assert "phase" not in run.data.tags

    with pytest.raises(MlflowException) as ei:
        client.log_batch(run_id, metrics=[Metric("loss", 1.0, ts, 0)], params=[Param("lr", "0.03")])
    assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
    assert client.get_metric_history(run_id, "loss") == []


def test_invalid_entry_fails_whole_batch(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    ts = now_ms()
    resp = rest.post("runs/log-batch", {
        "run_id": run_id,
        "metrics": [{"key": "ok", "value": 1.0, "timestamp": ts, "step": 0},
                    {"key": "a/../b", "value": 1.0, "timestamp": ts, "step": 0}],
        "params": [{"key": "p", "value": "1"}],
    })
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", 'Invalid value "a/../b"')
    run = client.get_run(run_id)
    assert run.data.metrics == {} and run.data.params == {}


def test_missing_metric_timestamp(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert_error(rest.post("runs/log-batch", {"run_id": run_id, "metrics": [{"key": "mae", "value": 2.5}]}), 400,
                 "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'metrics[0].timestamp'. "
                 "See the API docs for more information about request parameters.")


def test_duplicate_param_keys_in_one_batch(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    for values in (("1", "1"), ("1", "2")):
        resp = rest.post("runs/log-batch", {"run_id": run_id, "params": [{"key": "dup", "value": v} for v in values]})
        assert_error(resp, 400, "INVALID_PARAMETER_VALUE",
                     "Duplicate parameter keys have been submitted: ['dup']. "
                     "Please ensure the request contains only one param value per param key.")
    assert client.get_run(run_id).data.params == {}


def test_same_tag_twice_in_one_batch_last_wins(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/log-batch", {"run_id": run_id, "tags": [{"key": "t", "value": "1"},
                                                                    {"key": "t", "value": "2"}]})
    assert resp.status_code == 200, resp.text
    assert client.get_run(run_id).data.tags["t"] == "2"


def _metrics(n, ts):
    return [{"key": "m", "value": float(i), "timestamp": ts, "step": i} for i in range(n)]


def _params(n):
    return [{"key": f"p{i}", "value": "x"} for i in range(n)]


def _tags(n):
    return [{"key": f"t{i}", "value": "x"} for i in range(n)]


def test_batch_limits_at_maximum(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    ts = now_ms()
    assert rest.post("runs/log-batch", {"run_id": run_id, "metrics": _metrics(1000, ts)}).status_code == 200
    assert rest.post("runs/log-batch", {"run_id": run_id, "params": _params(100)}).status_code == 200
    assert rest.post("runs/log-batch", {"run_id": run_id, "tags": _tags(100)}).status_code == 200
    run = client.get_run(run_id)
    assert len(run.data.params) == 100
    assert len(client.get_metric_history(run_id, "m")) == 1000
    # 800 metrics + 100 params + 100 tags = 1000 entities is still fine
    run2 = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/log-batch", {"run_id": run2, "metrics": _metrics(800, ts), "params": _params(100),
                                        "tags": _tags(100)})
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("case,message", [
    ("metrics", "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. "
                "Please split up metrics across multiple requests and try again."),
    ("params", "A batch logging request can contain at most 100 params. Got 101 params. "
               "Please split up params across multiple requests and try again."),
    ("tags", "A batch logging request can contain at most 100 tags. Got 101 tags. "
             "Please split up tags across multiple requests and try again."),
    ("total", "A batch logging request can contain at most 1000 metrics, params, and tags. "
              "Got 1001 metrics, params, and tags. "
              "Please split up metrics, params, and tags across multiple requests and try again."),
])
def test_batch_limits_exceeded(rest, client, experiment_id, case, message):
    run_id = make_run(rest, experiment_id)["run_id"]
    ts = now_ms()
    body = {
        "metrics": {"run_id": run_id, "metrics": _metrics(1001, ts)},
        "params": {"run_id": run_id, "params": _params(101)},
        "tags": {"run_id": run_id, "tags": _tags(101)},
        "total": {"run_id": run_id, "metrics": _metrics(801, ts), "params": _params(100), "tags": _tags(100)},
    }[case]
    assert_error(rest.post("runs/log-batch", body), 400, "INVALID_PARAMETER_VALUE", message)
    run = client.get_run(run_id)
    assert run.data.metrics == {} and run.data.params == {}
    assert set(run.data.tags) == {"mlflow.runName"}


def test_log_batch_unknown_run(rest):
    assert_error(rest.post("runs/log-batch", {"run_id": "c" * 32, "params": [{"key": "p", "value": "1"}]}), 404,
                 "RESOURCE_DOES_NOT_EXIST", f"Run with id={'c' * 32} not found")


def test_log_batch_missing_run_id(rest):
    assert_error(rest.post("runs/log-batch", {"params": [{"key": "p", "value": "1"}]}), 400,
                 "INVALID_PARAMETER_VALUE", "run_id")
