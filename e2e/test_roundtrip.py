"""Database round trips between the server under test and the real `mlflow server`.

(a) data written through the server under test is read back unchanged by `mlflow server` on the same
    backend store (after the first server stopped), and mlflow can keep writing to it;
(b) a store written by `mlflow server` is served unchanged by the server under test, which can keep
    writing to it.
Each with `mlflow server` of the suite's version and of 3.18.0 (the `round_trip` fixture). Works for both
backends: sqlite (same DB file) and postgres (same database). With E2E_SERVER=mlflow both sides are
mlflow of one version (a self-check of the test itself).
"""

import math

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

from helpers import server_kind


def _norm(value):
    return "NaN" if isinstance(value, float) and math.isnan(value) else value


def write_scenario(url: str, prefix: str, monkeypatch) -> dict:
    """Log a representative data set through `url` (fluent API + client). Returns the ids to compare."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    try:
        return _write_scenario(url, prefix)
    finally:
        while mlflow.active_run() is not None:  # only after a failure; the server is still up here
            mlflow.end_run("FAILED")


def _write_scenario(url: str, prefix: str) -> dict:
    client = MlflowClient(tracking_uri=url)

    exp = mlflow.set_experiment(f"{prefix}-main")
    client.set_experiment_tag(exp.experiment_id, "team", "ml")
    client.set_experiment_tag(exp.experiment_id, "gone", "x")
    client.delete_experiment_tag(exp.experiment_id, "gone")

    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
    pds = mlflow.data.from_pandas(df, source="s3://bucket/train.parquet", name="train", targets="y")
    nds = mlflow.data.from_numpy(np.ones((4, 3)), source="file:///data/eval.npy", name="eval")

    with mlflow.start_run(run_name="parent", description="the parent") as parent:
        mlflow.log_params({"lr": 0.01, "layers": 3, "long": "p" * 6000})
        for step in range(30):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=1_700_000_000_000 + step)
        mlflow.log_metric("odd", float("nan"), step=0, timestamp=1_700_000_000_000)
        mlflow.log_metric("odd", float("inf"), step=1, timestamp=1_700_000_000_001)
        mlflow.log_metric("odd", float("-inf"), step=2, timestamp=1_700_000_000_002)
        mlflow.log_metric("odd", -7.5, step=2, timestamp=1_700_000_000_002)
        mlflow.set_tags({"phase": "train", "unicode": "ünïcødé ✓", "long": "t" * 8000})
        mlflow.log_input(pds, context="training", tags={"split": "train"})
        mlflow.log_input(nds, context="eval")
        with mlflow.start_run(run_name="child", nested=True) as child:
            mlflow.log_metric("child_metric", 42.0, step=3)
            mlflow.log_input(pds, context="finetune")
    failed = mlflow.start_run(run_name="failed")
    mlflow.end_run(status="FAILED")

    second_id = client.create_experiment(f"{prefix}-second", tags={"k": "v"})
    client.rename_experiment(second_id, f"{prefix}-second-renamed")
    batch_run = client.create_run(second_id, start_time=1_600_000_000_000, run_name="batch",
                                  tags={"source": "client"})
    client.log_batch(batch_run.info.run_id,
                     metrics=[Metric("m", float(i), 1_600_000_000_000 + i, i) for i in range(1000)],
                     params=[Param(f"p{i}", str(i)) for i in range(50)],
                     tags=[RunTag(f"t{i}", str(i)) for i in range(50)])
    client.set_terminated(batch_run.info.run_id, status="KILLED", end_time=1_600_000_009_000)
    deleted_run = client.create_run(second_id, run_name="deleted-run")
    client.log_param(deleted_run.info.run_id, "x", "1")
    client.delete_run(deleted_run.info.run_id)

    deleted_exp_id = client.create_experiment(f"{prefix}-deleted")
    in_deleted_exp = client.create_run(deleted_exp_id, run_name="in-deleted-exp")
    client.delete_experiment(deleted_exp_id)

    return {
        "experiments": ["0", exp.experiment_id, second_id, deleted_exp_id],
        "runs": [parent.info.run_id, child.info.run_id, failed.info.run_id, batch_run.info.run_id,
                 deleted_run.info.run_id, in_deleted_exp.info.run_id],
    }


def snapshot(url: str, ids: dict) -> dict:
    """Everything the client can read about the given experiments and runs, in comparable form."""
    client = MlflowClient(tracking_uri=url)
    experiments = {}
    for exp_id in ids["experiments"]:
        e = client.get_experiment(exp_id)
        assert client.get_experiment_by_name(e.name).experiment_id == exp_id
        experiments[exp_id] = {"name": e.name, "artifact_location": e.artifact_location,
                               "lifecycle_stage": e.lifecycle_stage, "tags": e.tags,
                               "creation_time": e.creation_time, "last_update_time": e.last_update_time}
    runs = {}
    for run_id in ids["runs"]:
        r = client.get_run(run_id)
        i = r.info
        metrics = {m.key: (m.step, m.timestamp, _norm(m.value)) for m in r.data._metric_objs}
        runs[run_id] = {
            "info": {"experiment_id": i.experiment_id, "run_name": i.run_name, "user_id": i.user_id,
                     "status": i.status, "start_time": i.start_time, "end_time": i.end_time,
                     "artifact_uri": i.artifact_uri, "lifecycle_stage": i.lifecycle_stage},
            "params": r.data.params,
            "tags": r.data.tags,
            "latest_metrics": metrics,
            "history": {key: [(m.step, m.timestamp, _norm(m.value)) for m in client.get_metric_history(run_id, key)]
                        for key in sorted(metrics)},
            "inputs": sorted(
                (d.dataset.name, d.dataset.digest, d.dataset.source_type, d.dataset.source, d.dataset.schema,
                 d.dataset.profile, tuple(sorted((t.key, t.value) for t in d.tags)))
                for d in r.inputs.dataset_inputs),
        }
    return {"experiments": experiments, "runs": runs}


def check_scenario_content(snap: dict, ids: dict, prefix: str) -> None:
    """Sanity checks so that an empty/partial snapshot cannot compare equal by accident."""
    parent, child, failed, batch, deleted_run, in_deleted_exp = ids["runs"]
    _, main_exp, second_exp, deleted_exp = ids["experiments"]
    exps, runs = snap["experiments"], snap["runs"]
    assert exps["0"]["name"] == "Default"
    assert exps[main_exp]["tags"] == {"team": "ml"}
    assert exps[second_exp]["name"] == f"{prefix}-second-renamed"
    assert exps[deleted_exp]["lifecycle_stage"] == "deleted"
    assert runs[parent]["params"]["long"] == "p" * 6000
    assert runs[parent]["tags"]["long"] == "t" * 8000
    assert runs[parent]["tags"]["unicode"] == "ünïcødé ✓"
    assert len(runs[parent]["history"]["loss"]) == 30
    assert runs[parent]["history"]["odd"] == [(0, 1_700_000_000_000, "NaN"),
                                              (1, 1_700_000_000_001, 1.7976931348623157e308),
                                              (2, 1_700_000_000_002, -1.7976931348623157e308),
                                              (2, 1_700_000_000_002, -7.5)]
    assert runs[parent]["latest_metrics"]["odd"] == (2, 1_700_000_000_002, -7.5)
    assert len(runs[parent]["inputs"]) == 2
    assert runs[child]["tags"]["mlflow.parentRunId"] == parent
    assert runs[failed]["info"]["status"] == "FAILED"
    assert runs[batch]["info"]["status"] == "KILLED"
    assert runs[batch]["info"]["end_time"] == 1_600_000_009_000
    assert len(runs[batch]["history"]["m"]) == 1000
    assert len(runs[batch]["params"]) == 50
    assert runs[deleted_run]["info"]["lifecycle_stage"] == "deleted"
    assert runs[in_deleted_exp]["info"]["lifecycle_stage"] == "deleted"


def keep_writing(url: str, ids: dict) -> None:
    """The second server must be able to write to the store it inherited."""
    client = MlflowClient(tracking_uri=url)
    parent = ids["runs"][0]
    main_exp = ids["experiments"][1]
    client.log_metric(parent, "loss", 0.001, step=30, timestamp=1_700_000_000_030)
    client.set_tag(parent, "continued", "yes")
    run = client.create_run(main_exp, run_name="after-move")
    client.log_param(run.info.run_id, "p", "v")
    client.set_terminated(run.info.run_id)
    exp_id = client.create_experiment(f"after-move-{main_exp}-{run.info.run_id[:8]}")
    assert int(exp_id) > max(int(e) for e in ids["experiments"])
    assert client.get_run(parent).data.metrics["loss"] == 0.001
    assert len(client.get_metric_history(parent, "loss")) == 31
    assert client.get_run(run.info.run_id).data.params == {"p": "v"}


@pytest.mark.parametrize("writer,reader", [
    (server_kind(), "mlflow"),
    ("mlflow", server_kind()),
], ids=["under-test-to-mlflow", "mlflow-to-under-test"])
def test_store_round_trip(round_trip, monkeypatch, unique_name, writer, reader):
    prefix = unique_name("rt")
    round_trip.prepare(writer, reader)
    with round_trip.start(writer, "writer") as first:
        ids = write_scenario(first.url, prefix, monkeypatch)
        before = snapshot(first.url, ids)
    check_scenario_content(before, ids, prefix)
    assert first.proc.poll() is not None  # first server is gone before the second opens the store

    with round_trip.start(reader, "reader") as second:
        after = snapshot(second.url, ids)
        assert after["experiments"] == before["experiments"]
        for run_id in ids["runs"]:
            assert after["runs"][run_id] == before["runs"][run_id], run_id
        keep_writing(second.url, ids)
