"""Smoke test of the core tracking calls, written to run with any official client from 2.22 on.

scripts/test runs this file alone with older clients (venvs from requirements-client-*.txt: the last
2.x and a 3.x from mid-2026, each `mlflow-skinny` with pytest and requests only), on SQLite; the full
suite runs it with its own client too. Only calls that every one of those clients has: no pandas, no
model flavors.
"""

from __future__ import annotations

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

from helpers import now_ms


def test_core_tracking_calls(server, unique_name):
    client = MlflowClient(tracking_uri=server.url)
    name = unique_name("old-client")
    experiment_id = client.create_experiment(name, tags={"team": "ml"})
    assert client.get_experiment_by_name(name).experiment_id == experiment_id
    assert client.get_experiment(experiment_id).tags == {"team": "ml"}

    mlflow.set_experiment(experiment_id=experiment_id)
    with mlflow.start_run(run_name="fluent") as run:
        mlflow.log_param("lr", 0.1)
        mlflow.log_params({"layers": 3, "optimizer": "adam"})
        mlflow.log_metric("loss", 1.0, step=0)
        mlflow.log_metric("loss", 0.5, step=1)
        mlflow.log_metrics({"acc": 0.9}, step=1)
        mlflow.set_tag("phase", "train")
        mlflow.set_tags({"owner": "old-client"})
    run_id = run.info.run_id

    t0 = now_ms()
    batch_run = client.create_run(experiment_id, run_name="batch")
    client.log_batch(batch_run.info.run_id,
                     metrics=[Metric("loss", 2.0 - i, t0 + i, i) for i in range(3)],
                     params=[Param("lr", "0.2")], tags=[RunTag("phase", "eval")])
    client.set_terminated(batch_run.info.run_id, status="KILLED")

    got = client.get_run(run_id)
    assert got.info.status == "FINISHED" and got.info.end_time is not None
    assert got.info.run_name == "fluent"
    assert got.data.params == {"lr": "0.1", "layers": "3", "optimizer": "adam"}
    assert got.data.metrics == {"loss": 0.5, "acc": 0.9}
    assert got.data.tags["phase"] == "train" and got.data.tags["owner"] == "old-client"
    assert [(m.step, m.value) for m in client.get_metric_history(run_id, "loss")] == [(0, 1.0), (1, 0.5)]
    batch = client.get_run(batch_run.info.run_id)
    assert batch.info.status == "KILLED"
    assert batch.data.metrics == {"loss": 0.0} and batch.data.params == {"lr": "0.2"}
    assert [m.value for m in client.get_metric_history(batch_run.info.run_id, "loss")] == [2.0, 1.0, 0.0]

    found = client.search_runs([experiment_id], "metrics.loss < 1 and params.lr = '0.1'")
    assert [r.info.run_id for r in found] == [run_id]
    ordered = mlflow.search_runs(experiment_ids=[experiment_id], order_by=["metrics.loss DESC"],
                                 output_format="list")
    assert [r.info.run_id for r in ordered] == [run_id, batch_run.info.run_id]

    model = unique_name("old-model")
    client.create_registered_model(model, tags={"k": "v"}, description="from an older client")
    version = client.create_model_version(model, f"{got.info.artifact_uri}/model", run_id=run_id)
    assert version.version == "1" and version.status == "READY"
    client.set_registered_model_alias(model, "champion", "1")
    assert client.get_model_version_by_alias(model, "champion").run_id == run_id
    registered = client.get_registered_model(model)
    assert registered.description == "from an older client" and registered.tags == {"k": "v"}
    assert [v.version for v in client.search_model_versions(f"name = '{model}'")] == ["1"]
