"""Registry round trips: a registry and logged models written through one server are read back
unchanged by the other on the same backend store (ours → mlflow and mlflow → ours), which can keep
writing to it; with `mlflow server` of the suite's version and of 3.18.0. See test_roundtrip.py for the
tracking data."""

from __future__ import annotations

import mlflow
import numpy as np
import pytest
from mlflow import MlflowClient
from sklearn.linear_model import LogisticRegression

from helpers import server_kind

X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
Y = np.array([0, 1, 0, 1])


def _write(url: str, prefix: str, monkeypatch) -> dict:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    client = MlflowClient(tracking_uri=url)
    exp = client.create_experiment(f"{prefix}-exp")
    model = LogisticRegression().fit(X, Y)
    name = f"{prefix}-clf"
    with mlflow.start_run(experiment_id=exp) as run:
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name=name)
    client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id, tags={"k": "v"},
                                description="second")
    client.create_model_version(name, "s3://bucket/third")
    client.delete_model_version(name, "3")
    client.transition_model_version_stage(name, "1", "Production")
    client.set_registered_model_alias(name, "champion", "2")
    client.set_registered_model_tag(name, "team", "ml")
    client.update_registered_model(name, description="a classifier")
    other = f"{prefix}-other"
    client.create_registered_model(other + "-old", tags={"x": "1"})
    client.rename_registered_model(other + "-old", other)
    return {"experiment": exp, "run": run.info.run_id, "model_id": info.model_id, "names": [name, other]}


def _snapshot(url: str, ids: dict) -> dict:
    client = MlflowClient(tracking_uri=url)
    models = {}
    for name in ids["names"]:
        m = client.get_registered_model(name)
        models[name] = {
            "description": m.description, "tags": m.tags, "aliases": m.aliases,
            "creation": m.creation_timestamp, "updated": m.last_updated_timestamp,
            "latest": sorted((v.version, v.current_stage) for v in m.latest_versions),
            "versions": sorted(
                (v.version, v.current_stage, v.source, v.run_id, v.description, tuple(sorted(v.tags.items())),
                 v.creation_timestamp, v.last_updated_timestamp)
                for v in client.search_model_versions(f"name = '{name}'")),
        }
    logged = client.get_logged_model(ids["model_id"])
    return {
        "models": models,
        "search": [m.name for m in client.search_registered_models(f"name LIKE '{ids['names'][0][:-4]}%'")],
        "logged": (logged.name, logged.status.to_int(), logged.source_run_id, logged.artifact_location,
                   logged.tags, logged.params),
        "outputs": [o.model_id for o in client.get_run(ids["run"]).outputs.model_outputs],
    }


@pytest.mark.parametrize("writer,reader", [
    (server_kind(), "mlflow"),
    ("mlflow", server_kind()),
], ids=["under-test-to-mlflow", "mlflow-to-under-test"])
def test_registry_round_trip(round_trip, monkeypatch, unique_name, writer, reader):
    prefix = unique_name("rrt")
    round_trip.prepare(writer, reader)
    with round_trip.start(writer, "writer") as first:
        ids = _write(first.url, prefix, monkeypatch)
        before = _snapshot(first.url, ids)
    name, other = ids["names"]
    assert before["models"][name]["latest"] == [("1", "Production"), ("2", "None")]
    assert before["models"][name]["aliases"] == {"champion": "2"}
    assert before["models"][other]["tags"] == {"x": "1"}
    assert before["outputs"] == [ids["model_id"]]
    assert before["logged"][4]["mlflow.modelVersions"]

    with round_trip.start(reader, "reader") as second:
        monkeypatch.setenv("MLFLOW_TRACKING_URI", second.url)
        assert _snapshot(second.url, ids) == before
        client = MlflowClient(tracking_uri=second.url)
        # The inherited store keeps numbering versions after the deleted one.
        assert client.create_model_version(name, "s3://bucket/fourth").version == "4"
        loaded = mlflow.pyfunc.load_model(f"models:/{name}/1")
        assert list(loaded.predict(X)) == list(Y)
