"""Metrics: logging, latest values, history, special float values."""

import math

import mlflow
import pytest
from mlflow.entities import Metric
from mlflow.exceptions import MlflowException

from helpers import assert_error, make_run, now_ms

MAX_FLOAT = 1.7976931348623157e308


def hist(client, run_id, key):
    return [(m.step, m.timestamp, m.value) for m in client.get_metric_history(run_id, key)]


def test_log_metric_with_steps(client, active_experiment):
    with mlflow.start_run() as run:
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metric("no_step", 3.0)
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in history] == [0, 1, 2, 3, 4]
    assert [m.value for m in history] == pytest.approx([1.0, 0.5, 1 / 3, 0.25, 0.2])
    assert all(m.key == "loss" for m in history)
    assert all(isinstance(m.timestamp, int) and m.timestamp > 0 for m in history)
    [no_step] = client.get_metric_history(run.info.run_id, "no_step")
    assert no_step.step == 0
    data = client.get_run(run.info.run_id).data
    assert data.metrics == {"loss": 0.2, "no_step": 3.0}


def test_log_metrics_dict(client, active_experiment):
    with mlflow.start_run() as run:
        mlflow.log_metrics({"a": 1, "b": 2.5, "c": -3}, step=7)
        mlflow.log_metrics({"a": 10}, step=8)
    got = client.get_run(run.info.run_id).data.metrics
    assert got == {"a": 10.0, "b": 2.5, "c": -3.0}
    assert hist(client, run.info.run_id, "b")[0][0] == 7
    assert [s for s, _, _ in hist(client, run.info.run_id, "a")] == [7, 8]


def test_explicit_timestamps_and_history_order(client, experiment_id):
    """History comes back ordered by (timestamp, step, value)."""
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "m", 30.0, timestamp=3000, step=0)
    client.log_metric(run_id, "m", 10.0, timestamp=1000, step=5)
    client.log_metric(run_id, "m", 20.0, timestamp=2000, step=1)
    client.log_metric(run_id, "m", 21.0, timestamp=2000, step=1)
    client.log_metric(run_id, "m", 19.0, timestamp=2000, step=1)
    assert hist(client, run_id, "m") == [(5, 1000, 10.0), (1, 2000, 19.0), (1, 2000, 20.0), (1, 2000, 21.0),
                                         (0, 3000, 30.0)]


def test_latest_metric_prefers_step_then_timestamp_then_value(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    # highest step wins even if older
    client.log_metric(run_id, "by_step", 1.0, timestamp=5000, step=1)
    client.log_metric(run_id, "by_step", 2.0, timestamp=1000, step=9)
    client.log_metric(run_id, "by_step", 3.0, timestamp=9000, step=3)
    # same step: newest timestamp wins
    client.log_metric(run_id, "by_ts", 1.0, timestamp=2000, step=4)
    client.log_metric(run_id, "by_ts", 2.0, timestamp=1000, step=4)
    # same step and timestamp: largest value wins
    client.log_metric(run_id, "by_value", 5.0, timestamp=1000, step=0)
    client.log_metric(run_id, "by_value", 7.0, timestamp=1000, step=0)
    client.log_metric(run_id, "by_value", 6.0, timestamp=1000, step=0)
    run = client.get_run(run_id)
    assert run.data.metrics == {"by_step": 2.0, "by_ts": 1.0, "by_value": 7.0}
    by_key = {m.key: m for m in run.data._metric_objs}
    assert (by_key["by_step"].step, by_key["by_step"].timestamp) == (9, 1000)
    assert (by_key["by_ts"].step, by_key["by_ts"].timestamp) == (4, 2000)


def test_identical_metric_is_stored_once(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "dup", 1.0, timestamp=1000, step=1)
    client.log_metric(run_id, "dup", 1.0, timestamp=1000, step=1)
    client.log_batch(run_id, metrics=[Metric("dup", 1.0, 1000, 1), Metric("dup", 1.0, 1000, 1),
                                      Metric("dup", 2.0, 1000, 1)])
    assert hist(client, run_id, "dup") == [(1, 1000, 1.0), (1, 1000, 2.0)]


def test_nan_and_infinity(client, rest, active_experiment):
    with mlflow.start_run() as run:
        mlflow.log_metric("weird", 1.0, step=0)
        mlflow.log_metric("weird", float("nan"), step=1)
        mlflow.log_metric("weird", float("inf"), step=2)
        mlflow.log_metric("weird", float("-inf"), step=3)
        mlflow.log_metric("only_nan", float("nan"), step=0)
        mlflow.log_metric("pos_inf", math.inf)
    run_id = run.info.run_id
    values = [m.value for m in client.get_metric_history(run_id, "weird")]
    assert values[0] == 1.0
    assert math.isnan(values[1])
    # MLflow's SQL store clamps +-inf to +-max float64; it is not returned as inf
    assert values[2] == MAX_FLOAT
    assert values[3] == -MAX_FLOAT
    metrics = client.get_run(run_id).data.metrics
    assert metrics["weird"] == -MAX_FLOAT  # latest = highest step
    assert math.isnan(metrics["only_nan"])
    assert metrics["pos_inf"] == MAX_FLOAT

    # wire format: NaN is the JSON string "NaN", infinities are plain (clamped) numbers
    body = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "weird"}).json()
    assert [m["value"] for m in body["metrics"]] == [1.0, "NaN", MAX_FLOAT, -MAX_FLOAT]
    data = rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    by_key = {m["key"]: m["value"] for m in data["metrics"]}
    assert by_key["only_nan"] == "NaN"
    assert by_key["weird"] == -MAX_FLOAT


def test_nan_infinity_strings_over_rest(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    ts = now_ms()
    for step, value in enumerate(["NaN", "Infinity", "-Infinity"]):
        resp = rest.post("runs/log-metric", {"run_id": run_id, "key": "s", "value": value, "timestamp": ts,
                                             "step": step})
        assert resp.status_code == 200, resp.text
        assert resp.json() == {}
    values = [m.value for m in client.get_metric_history(run_id, "s")]
    assert math.isnan(values[0]) and values[1:] == [MAX_FLOAT, -MAX_FLOAT]


def test_negative_and_large_steps(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "s", 1.0, timestamp=1, step=-5)
    client.log_metric(run_id, "s", 2.0, timestamp=2, step=2**40)
    client.log_metric(run_id, "big_ts", 3.0, timestamp=2**62, step=0)
    assert hist(client, run_id, "s") == [(-5, 1, 1.0), (2**40, 2, 2.0)]
    assert hist(client, run_id, "big_ts") == [(0, 2**62, 3.0)]


def test_metric_value_precision(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    values = [0.1, 1e-300, -2.5e300, 123456789.123456789, 5e-324, 0.0, -0.0]
    for step, value in enumerate(values):
        client.log_metric(run_id, "p", value, timestamp=1000, step=step)
    assert [m.value for m in client.get_metric_history(run_id, "p")] == values


def test_metric_keys_with_special_characters(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    keys = ["with space", "colon:key", "slash/key", "dot.dash-under_score", "ünï"]
    for key in keys:
        client.log_metric(run_id, key, 1.0)
    assert set(client.get_run(run_id).data.metrics) == set(keys)
    for key in keys:
        assert len(client.get_metric_history(run_id, key)) == 1


def test_history_of_unknown_metric(client, rest, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    assert client.get_metric_history(run_id, "never-logged") == []
    resp = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "never-logged"})
    assert resp.status_code == 200
    assert resp.json() == {}  # empty repeated field is omitted


def test_get_history_rest_shape(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    rest.post("runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.5, "timestamp": 1700000001000,
                                  "step": 0})
    rest.post("runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.25, "timestamp": 1700000002000,
                                  "step": 1})
    body = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "loss"}).json()
    assert body == {"metrics": [
        {"key": "loss", "value": 0.5, "timestamp": 1700000001000, "step": 0},
        {"key": "loss", "value": 0.25, "timestamp": 1700000002000, "step": 1},
    ]}
    data = rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    assert data["metrics"] == [{"key": "loss", "value": 0.25, "timestamp": 1700000002000, "step": 1}]


def test_history_for_missing_run(client, rest):
    # MLflow does not check that the run exists here: unknown run -> empty history, HTTP 200
    assert client.get_metric_history("a" * 32, "m") == []
    resp = rest.get("metrics/get-history", {"run_id": "a" * 32, "metric_key": "m"})
    assert resp.status_code == 200
    assert resp.json() == {}


def test_log_metric_validation(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    ts = now_ms()
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0}), 400,
                 "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'timestamp'")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "timestamp": ts}), 400,
                 "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'value'")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "value": 1.0, "timestamp": ts}), 400,
                 "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'key'")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": "abc", "timestamp": ts}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid value \"abc\" for parameter 'value' supplied")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 1.0, "timestamp": ts,
                                               "step": "foo"}),
                 400, "INVALID_PARAMETER_VALUE", "Invalid value \"foo\" for parameter 'step' supplied")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "k" * 251, "value": 1.0, "timestamp": ts}),
                 400, "INVALID_PARAMETER_VALUE", "'Metric name' exceeds the maximum length of 250 characters")
    assert_error(rest.post("runs/log-metric", {"run_id": run_id, "key": "a/../b", "value": 1.0, "timestamp": ts}),
                 400, "INVALID_PARAMETER_VALUE", 'Invalid value "a/../b"', "This name would resolve to 'b'")
    assert "metrics" not in rest.get("runs/get", {"run_id": run_id}).json()["run"]["data"]
    # 250 characters is fine
    assert rest.post("runs/log-metric", {"run_id": run_id, "key": "k" * 250, "value": 1.0,
                                         "timestamp": ts}).status_code == 200


def test_log_metric_unknown_run(rest):
    assert_error(rest.post("runs/log-metric", {"run_id": "b" * 32, "key": "m", "value": 1.0, "timestamp": now_ms()}),
                 404, "RESOURCE_DOES_NOT_EXIST", f"Run with id={'b' * 32} not found")
