"""Metric history: paging, get-history-bulk-interval sampling, ajax get-history-bulk."""

import math

import pytest
from mlflow.entities import Metric

from helpers import assert_error, make_run

PAGE = 25000  # the client pages metric history with max_results=25000


def _log_points(rest, run_id, points, key="m"):
    """points: iterable of (step, timestamp, value); logged in batches of 1000."""
    points = list(points)
    for i in range(0, len(points), 1000):
        resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [
            {"key": key, "value": v, "timestamp": ts, "step": s} for s, ts, v in points[i:i + 1000]]})
        assert resp.status_code == 200, resp.text


def test_metric_history_more_than_one_page(client, rest, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    n = PAGE + 10
    for start in range(0, n, 1000):
        client.log_batch(run_id, metrics=[Metric("big", float(i), 1_000_000 + i, i)
                                          for i in range(start, min(start + 1000, n))], synchronous=True)
    history = client.get_metric_history(run_id, "big")
    assert len(history) == n
    assert [m.step for m in history] == list(range(n))
    assert [m.value for m in history[:3]] == [0.0, 1.0, 2.0]
    assert history[-1].value == float(n - 1)

    # the two pages on the wire
    first = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "big", "max_results": PAGE}).json()
    assert len(first["metrics"]) == PAGE
    assert first["metrics"][-1]["step"] == PAGE - 1
    token = first["next_page_token"]
    assert isinstance(token, str) and token
    second = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "big", "max_results": PAGE,
                                              "page_token": token}).json()
    assert [m["step"] for m in second["metrics"]] == list(range(PAGE, n))
    assert "next_page_token" not in second
    assert client.get_run(run_id).data.metrics == {"big": float(n - 1)}


def test_metric_history_small_pages(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    _log_points(rest, run_id, [(i, 1000 + i, float(i)) for i in range(7)])
    pages, token = [], None
    while True:
        params = {"run_id": run_id, "metric_key": "m", "max_results": 3}
        if token:
            params["page_token"] = token
        body = rest.get("metrics/get-history", params).json()
        pages.append([m["step"] for m in body["metrics"]])
        token = body.get("next_page_token")
        if not token:
            break
    assert pages == [[0, 1, 2], [3, 4, 5], [6]]
    # an exact multiple has no token on the last full page
    body = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "m", "max_results": 7}).json()
    assert len(body["metrics"]) == 7 and "next_page_token" not in body
    # without max_results everything comes back at once
    body = rest.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"}).json()
    assert len(body["metrics"]) == 7 and "next_page_token" not in body


# --------------------------------------------------------------------------------------------
# get-history-bulk-interval


def _expected_sample(rows, max_results):
    """MLflow 3.17: rows ordered by (step, timestamp, value) go into NTILE(max_results) buckets, the
    first row of each bucket is kept, and the overall last row always replaces/extends the tail."""
    rows = sorted(rows)
    if not rows:
        return []
    n, k = len(rows), max(1, max_results)
    q, r = divmod(n, k)
    starts, i = [], 0
    for b in range(min(k, n)):
        starts.append(i)
        i += q + (1 if b < r else 0)
    picked = [rows[s] for s in starts]
    if picked[-1] != rows[-1]:
        if len(picked) >= k:
            picked[-1] = rows[-1]
        else:
            picked.append(rows[-1])
    return picked


def _interval(rest, run_ids, key="m", **params):
    resp = rest.get("metrics/get-history-bulk-interval", {"run_ids": run_ids, "metric_key": key, **params})
    assert resp.status_code == 200, resp.text
    return resp.json().get("metrics", [])


def _triples(metrics):
    return [(m["step"], m["timestamp"], m["value"]) for m in metrics]


@pytest.fixture
def sampled_run(rest, experiment_id):
    """One run with 250 points: steps 0..124, two values per step (different timestamps)."""
    run_id = make_run(rest, experiment_id)["run_id"]
    rows = [(i // 2, 10_000 + (i * 7919) % 1000, float(i)) for i in range(250)]
    _log_points(rest, run_id, rows)
    return run_id, rows


@pytest.mark.parametrize("max_results", [1, 2, 3, 7, 10, 100, 249, 250, 320, 2500])
def test_bulk_interval_sampling(rest, sampled_run, max_results):
    run_id, rows = sampled_run
    metrics = _interval(rest, [run_id], max_results=max_results)
    assert _triples(metrics) == _expected_sample(rows, max_results)
    assert all(m["key"] == "m" and m["run_id"] == run_id for m in metrics)
    assert set(metrics[0]) == {"key", "value", "timestamp", "step", "run_id"}


def test_bulk_interval_default_max_results(rest, sampled_run):
    run_id, rows = sampled_run
    assert _triples(_interval(rest, [run_id])) == sorted(rows)  # default 2500 > 250 rows


def test_bulk_interval_step_range(rest, sampled_run):
    run_id, rows = sampled_run
    window = [r for r in rows if 10 <= r[0] <= 40]
    assert _triples(_interval(rest, [run_id], start_step=10, end_step=40, max_results=2500)) == sorted(window)
    assert _triples(_interval(rest, [run_id], start_step=10, end_step=40, max_results=5)) == \
        _expected_sample(window, 5)
    assert _triples(_interval(rest, [run_id], start_step=10, end_step=10, max_results=5)) == \
        sorted(r for r in rows if r[0] == 10)
    assert _interval(rest, [run_id], start_step=1000, end_step=2000) == []


def test_bulk_interval_multiple_runs(rest, experiment_id):
    a = make_run(rest, experiment_id)["run_id"]
    b = make_run(rest, experiment_id)["run_id"]
    rows_a = [(s, 5000 + s, float(s)) for s in range(20)]
    rows_b = [(s * 3, 6000 + s, -float(s)) for s in range(15)]
    _log_points(rest, a, rows_a)
    _log_points(rest, b, rows_b)
    for order in ([a, b], [b, a]):
        metrics = _interval(rest, order, max_results=4)
        # results are grouped per run in the order the run_ids were given
        got = {}
        for m in metrics:
            got.setdefault(m["run_id"], []).append((m["step"], m["timestamp"], m["value"]))
        assert list(got) == order
        assert got[a] == _expected_sample(rows_a, 4)
        assert got[b] == _expected_sample(rows_b, 4)
    # a run without the metric contributes nothing
    c = make_run(rest, experiment_id)["run_id"]
    metrics = _interval(rest, [a, c], max_results=2500)
    assert {m["run_id"] for m in metrics} == {a}


def test_bulk_interval_nan_and_inf(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.post("runs/log-batch", {"run_id": run_id, "metrics": [
        {"key": "w", "value": "NaN", "timestamp": 1, "step": 0},
        {"key": "w", "value": "Infinity", "timestamp": 1, "step": 1},
        {"key": "w", "value": 2.0, "timestamp": 1, "step": 2}]})
    assert resp.status_code == 200
    metrics = _interval(rest, [run_id], key="w")
    assert [m["value"] for m in metrics] == ["NaN", 1.7976931348623157e308, 2.0]


def test_bulk_interval_unknown_metric(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    resp = rest.get("metrics/get-history-bulk-interval", {"run_ids": run_id, "metric_key": "nope"})
    assert resp.status_code == 200
    assert resp.json() == {}


def test_bulk_interval_ajax_twin(rest, sampled_run):
    run_id, rows = sampled_run
    resp = rest.ajax.get("metrics/get-history-bulk-interval", {"run_ids": run_id, "metric_key": "m",
                                                               "max_results": 320})
    assert resp.status_code == 200
    assert _triples(resp.json()["metrics"]) == _expected_sample(rows, 320)


def test_bulk_interval_errors(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    path = "metrics/get-history-bulk-interval"
    assert_error(rest.get(path, {"metric_key": "m"}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'run_ids'. "
                 "See the API docs for more information about request parameters.")
    assert_error(rest.get(path, {"run_ids": run_id}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'metric_key'")
    for bad in (0, 2501):
        assert_error(rest.get(path, {"run_ids": run_id, "metric_key": "m", "max_results": bad}), 400,
                     "INVALID_PARAMETER_VALUE", "max_results must be between 1 and 2500.")
    assert_error(rest.get(path, {"run_ids": run_id, "metric_key": "m", "start_step": 1}), 400,
                 "INVALID_PARAMETER_VALUE", "If either start step or end step are specified, both must be specified.")
    assert_error(rest.get(path, {"run_ids": run_id, "metric_key": "m", "end_step": 1}), 400,
                 "INVALID_PARAMETER_VALUE", "If either start step or end step are specified, both must be specified.")
    assert_error(rest.get(path, {"run_ids": run_id, "metric_key": "m", "start_step": 5, "end_step": 1}), 400,
                 "INVALID_PARAMETER_VALUE",
                 "end_step must be greater than start_step. Found start_step=5 and end_step=1.")
    assert_error(rest.get(path, {"run_ids": [run_id] * 101, "metric_key": "m"}), 400, "INVALID_PARAMETER_VALUE",
                 "GetMetricHistoryBulkInterval request must specify at most 100 run_ids. Received 101 run_ids.")
    assert rest.get(path, {"run_ids": [run_id] * 100, "metric_key": "m"}).status_code == 200


# --------------------------------------------------------------------------------------------
# /ajax-api/2.0/mlflow/metrics/get-history-bulk (UI only)


def test_ajax_get_history_bulk(rest, experiment_id):
    runs = sorted(make_run(rest, experiment_id)["run_id"] for _ in range(2))
    lo, hi = runs
    _log_points(rest, hi, [(0, 3000, 1.0), (1, 1000, 2.0), (2, 2000, 3.0)])
    _log_points(rest, lo, [(5, 500, 9.0), (6, 400, 8.0)])
    resp = rest.ajax.get("metrics/get-history-bulk", {"run_id": [hi, lo], "metric_key": "m"})
    assert resp.status_code == 200
    metrics = resp.json()["metrics"]
    # sorted by run id, then timestamp, step, value
    assert [(m["run_id"], m["step"], m["timestamp"], m["value"]) for m in metrics] == [
        (lo, 6, 400, 8.0), (lo, 5, 500, 9.0),
        (hi, 1, 1000, 2.0), (hi, 2, 2000, 3.0), (hi, 0, 3000, 1.0)]
    assert all(set(m) == {"key", "value", "timestamp", "step", "run_id"} and m["key"] == "m" for m in metrics)

    # max_results caps the total number of points
    resp = rest.ajax.get("metrics/get-history-bulk", {"run_id": [hi, lo], "metric_key": "m", "max_results": 3})
    assert [(m["run_id"], m["step"]) for m in resp.json()["metrics"]] == [(lo, 6), (lo, 5), (hi, 1)]

    # unknown metric -> explicit empty list (this handler is plain JSON, not proto)
    resp = rest.ajax.get("metrics/get-history-bulk", {"run_id": lo, "metric_key": "nope"})
    assert resp.status_code == 200 and resp.json() == {"metrics": []}


def test_ajax_get_history_bulk_nan(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    rest.post("runs/log-metric", {"run_id": run_id, "key": "w", "value": "NaN", "timestamp": 1, "step": 0})
    resp = rest.ajax.get("metrics/get-history-bulk", {"run_id": run_id, "metric_key": "w"})
    assert resp.status_code == 200
    [m] = resp.json()["metrics"]
    # MLflow writes a bare NaN token here (not valid JSON); a JSON string "NaN" is accepted as well
    assert math.isnan(float(m["value"]))


def test_ajax_get_history_bulk_errors(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    assert_error(rest.ajax.get("metrics/get-history-bulk", {"metric_key": "m"}), 400, "INVALID_PARAMETER_VALUE",
                 "GetMetricHistoryBulk request must specify at least one run_id.")
    assert_error(rest.ajax.get("metrics/get-history-bulk", {"run_id": run_id}), 400, "INVALID_PARAMETER_VALUE",
                 "GetMetricHistoryBulk request must specify a metric_key.")
    assert_error(rest.ajax.get("metrics/get-history-bulk", {"run_id": [run_id] * 101, "metric_key": "m"}), 400,
                 "INVALID_PARAMETER_VALUE",
                 "GetMetricHistoryBulk request cannot specify more than 100 run_ids. Received 101 run_ids.")
