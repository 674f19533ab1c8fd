"""MLflow 3 logged models with the real client: log_model creates and finalizes one under the
experiment's artifact root, links it to the run, and it loads back by `models:/m-...`; autolog
around a sklearn fit logs params, metrics and the model."""

from __future__ import annotations

import mlflow
import numpy as np
from sklearn.linear_model import LinearRegression

from helpers import assert_error, make_run


def _data():
    x = np.arange(20, dtype=float).reshape(10, 2)
    return x, x @ np.array([1.5, -2.0]) + 3.0


def test_log_model_creates_a_ready_logged_model(server, client, experiment_id):
    x, y = _data()
    model = LinearRegression().fit(x, y)
    with mlflow.start_run(experiment_id=experiment_id) as run:
        info = mlflow.sklearn.log_model(model, name="reg", params={"alpha": "1"})
    logged = client.get_logged_model(info.model_id)
    assert logged.model_id.startswith("m-") and len(logged.model_id) == 34
    assert logged.status.to_int() == 2  # READY
    assert logged.source_run_id == run.info.run_id
    assert logged.experiment_id == experiment_id
    assert logged.name == "reg"
    assert logged.params == {"alpha": "1"}
    assert logged.artifact_location.endswith(f"/{experiment_id}/models/{info.model_id}/artifacts")

    outputs = client.get_run(run.info.run_id).outputs
    assert [o.model_id for o in outputs.model_outputs] == [info.model_id]
    found = client.search_logged_models(experiment_ids=[experiment_id])
    assert [m.model_id for m in found] == [info.model_id]
    filtered = client.search_logged_models(experiment_ids=[experiment_id],
                                           filter_string=f"name = 'reg' AND params.alpha = '1' AND source_run_id = '{run.info.run_id}'")
    assert [m.model_id for m in filtered] == [info.model_id]
    assert client.search_logged_models(experiment_ids=[experiment_id], filter_string="params.alpha != '1'") == []
    # A run's model is found by name, as `runs:/<run>/reg` URIs resolve it.
    assert np.allclose(mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/reg").predict(x), model.predict(x))

    loaded = mlflow.pyfunc.load_model(f"models:/{info.model_id}")
    assert np.allclose(loaded.predict(x), model.predict(x))


def test_metrics_logged_against_a_model(server, client, experiment_id):
    model = client.create_logged_model(experiment_id, name="scored")
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_metric("acc", 0.75, step=2, model_id=model.model_id)
        mlflow.log_metrics({"f1": 0.5, "auc": 0.8}, model_id=model.model_id)
    got = client.get_logged_model(model.model_id)
    assert sorted((m.key, m.value, m.run_id) for m in got.metrics) == [
        ("acc", 0.75, run.info.run_id), ("auc", 0.8, run.info.run_id), ("f1", 0.5, run.info.run_id)]
    assert client.get_run(run.info.run_id).data.metrics == {"acc": 0.75, "f1": 0.5, "auc": 0.8}
    found = client.search_logged_models(experiment_ids=[experiment_id], filter_string="metrics.acc > 0.7")
    assert [m.model_id for m in found] == [model.model_id]


def test_logged_model_tags_params_and_delete(server, client, experiment_id):
    model = client.create_logged_model(experiment_id, name="manual", tags={"a": "1"})
    assert model.status.to_int() == 1  # PENDING
    client.set_logged_model_tags(model.model_id, {"b": "2"})
    client.log_model_params(model.model_id, {"p": "x"})
    client.delete_logged_model_tag(model.model_id, "a")
    got = client.get_logged_model(model.model_id)
    assert got.tags == {"b": "2"} and got.params == {"p": "x"}
    client.finalize_logged_model(model.model_id, mlflow.entities.LoggedModelStatus.READY)
    assert client.get_logged_model(model.model_id).status.to_int() == 2
    client.delete_logged_model(model.model_id)
    assert client.search_logged_models(experiment_ids=[experiment_id]) == []


def test_logged_model_errors(server, rest, experiment_id):
    assert_error(rest.get("logged-models/m-00000000000000000000000000000000"), 404, "RESOURCE_DOES_NOT_EXIST",
                 "Logged model with ID 'm-00000000000000000000000000000000' not found.")
    assert_error(rest.post("logged-models", {"experiment_id": experiment_id, "name": "a/b"}), 400,
                 "INVALID_PARAMETER_VALUE", "Invalid model name ('a/b') provided.")
    assert_error(rest.post("logged-models", {}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'experiment_id'.")
    run = make_run(rest, experiment_id)
    assert_error(rest.post("runs/outputs", {"run_id": run["run_id"]}), 400, "INVALID_PARAMETER_VALUE",
                 "Missing value for required parameter 'models'.")


def test_autolog_logs_params_metrics_and_model(server, client, experiment_id):
    x, y = _data()
    mlflow.sklearn.autolog(log_input_examples=False, log_model_signatures=False, silent=True)
    try:
        with mlflow.start_run(experiment_id=experiment_id) as run:
            LinearRegression().fit(x, y)
    finally:
        mlflow.sklearn.autolog(disable=True)
    data = client.get_run(run.info.run_id).data
    assert data.params.get("fit_intercept") == "True"
    assert "training_score" in data.metrics
    models = client.search_logged_models(experiment_ids=[experiment_id])
    assert len(models) == 1 and models[0].source_run_id == run.info.run_id
    loaded = mlflow.pyfunc.load_model(f"models:/{models[0].model_id}")
    assert loaded.predict(x).shape == (10,)
