"""Dataset inputs (runs/log-inputs) through mlflow.log_input and raw REST."""

import mlflow
import numpy as np
import pandas as pd

from helpers import assert_error, make_run

CONTEXT_TAG = "mlflow.data.context"


def _inputs(client, run_id):
    """{dataset name: (dataset dict, tags dict)}"""
    out = {}
    for di in client.get_run(run_id).inputs.dataset_inputs:
        d = di.dataset
        out[d.name] = ({"name": d.name, "digest": d.digest, "source_type": d.source_type, "source": d.source,
                        "schema": d.schema, "profile": d.profile},
                       {t.key: t.value for t in di.tags})
    return out


def _pandas_dataset(name="train-ds"):
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.1, 0.2, 0.3], "label": ["x", "y", "z"]})
    return mlflow.data.from_pandas(df, source="s3://bucket/path/train.csv", name=name, targets="label")


def _numpy_dataset(name="np-ds"):
    return mlflow.data.from_numpy(np.arange(20, dtype=np.float64).reshape(10, 2), source="file:///data/x.npy",
                                  name=name, targets=np.arange(10))


def test_log_input_pandas_and_numpy(client, active_experiment):
    pds, nds = _pandas_dataset(), _numpy_dataset()
    with mlflow.start_run() as run:
        mlflow.log_input(pds, context="training", tags={"split": "train", "version": "3"})
        mlflow.log_input(nds, context="eval")
    inputs = _inputs(client, run.info.run_id)
    assert set(inputs) == {"train-ds", "np-ds"}

    ds, tags = inputs["train-ds"]
    expected = pds.to_dict()
    assert ds == {k: expected[k] for k in ("name", "digest", "source_type", "source", "schema", "profile")}
    assert ds["source_type"] == "s3"
    assert tags == {CONTEXT_TAG: "training", "split": "train", "version": "3"}

    ds, tags = inputs["np-ds"]
    expected = nds.to_dict()
    assert ds == {k: expected[k] for k in ("name", "digest", "source_type", "source", "schema", "profile")}
    assert tags == {CONTEXT_TAG: "eval"}


def test_log_input_without_context(client, active_experiment):
    with mlflow.start_run() as run:
        mlflow.log_input(_pandas_dataset("no-context"))
    [(ds, tags)] = _inputs(client, run.info.run_id).values()
    assert ds["name"] == "no-context"
    assert tags == {}


def test_same_dataset_twice_in_a_run_is_one_input(client, active_experiment):
    pds = _pandas_dataset("twice")
    with mlflow.start_run() as run:
        mlflow.log_input(pds, context="training")
        mlflow.log_input(pds, context="validation")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    # the input already exists, so the second call's tags are ignored
    assert {t.key: t.value for t in inputs[0].tags} == {CONTEXT_TAG: "training"}


def test_dataset_shared_between_runs_of_an_experiment(client, active_experiment):
    pds = _pandas_dataset("shared")
    with mlflow.start_run() as r1:
        mlflow.log_input(pds, context="training")
    with mlflow.start_run() as r2:
        mlflow.log_input(pds, context="eval")
    d1, t1 = _inputs(client, r1.info.run_id)["shared"]
    d2, t2 = _inputs(client, r2.info.run_id)["shared"]
    assert d1 == d2
    assert t1 == {CONTEXT_TAG: "training"} and t2 == {CONTEXT_TAG: "eval"}


def test_log_inputs_rest_shape(rest, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    full = {"name": "full", "digest": "d1", "source_type": "local", "source": '{"uri": "/tmp/a"}',
            "schema": '{"mlflow_colspec": []}', "profile": '{"num_rows": 1}'}
    minimal = {"name": "minimal", "digest": "d2", "source_type": "http", "source": '{"url": "http://x"}'}
    resp = rest.post("runs/log-inputs", {"run_id": run_id, "datasets": [
        {"dataset": full, "tags": [{"key": CONTEXT_TAG, "value": "train"}, {"key": "t", "value": "v"}]},
        {"dataset": minimal},
    ]})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {}
    inputs = rest.get("runs/get", {"run_id": run_id}).json()["run"]["inputs"]
    assert set(inputs) == {"dataset_inputs"}
    by_name = {i["dataset"]["name"]: i for i in inputs["dataset_inputs"]}
    assert by_name["full"]["dataset"] == full
    assert sorted(by_name["full"]["tags"], key=lambda t: t["key"]) == [
        {"key": CONTEXT_TAG, "value": "train"}, {"key": "t", "value": "v"}]
    assert by_name["minimal"] == {"dataset": minimal}  # no "tags" key, no schema/profile keys

    # logging nothing is fine
    resp = rest.post("runs/log-inputs", {"run_id": run_id})
    assert resp.status_code == 200 and resp.json() == {}


def test_log_inputs_validation(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]

    def log(dataset, tags=None):
        entry = {"dataset": {"source_type": "local", "source": "{}", **dataset}}
        if tags is not None:
            entry["tags"] = tags
        return rest.post("runs/log-inputs", {"run_id": run_id, "datasets": [entry]})

    assert_error(log({"name": "n", "digest": "x" * 37}), 400, "INVALID_PARAMETER_VALUE",
                 "'digest' exceeds the maximum length of 36 characters")
    assert_error(log({"name": "n" * 501, "digest": "x"}), 400, "INVALID_PARAMETER_VALUE",
                 "'name' exceeds the maximum length of 500 characters")
    assert_error(log({"name": "n", "digest": "x"}, [{"key": "k" * 256, "value": "v"}]), 400,
                 "INVALID_PARAMETER_VALUE", "'key' exceeds the maximum length of 255 characters")
    assert_error(log({"name": "n", "digest": "x"}, [{"key": "k", "value": "v" * 501}]), 400,
                 "INVALID_PARAMETER_VALUE", "'value' exceeds the maximum length of 500 characters")
    assert client.get_run(run_id).inputs.dataset_inputs == []
    # limits themselves are fine
    assert log({"name": "n" * 500, "digest": "x" * 36}, [{"key": "k" * 255, "value": "v" * 500}]).status_code == 200
    assert len(client.get_run(run_id).inputs.dataset_inputs) == 1


def test_log_inputs_unknown_run(rest):
    resp = rest.post("runs/log-inputs", {"run_id": "0" * 32, "datasets": [
        {"dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "{}"}}]})
    assert_error(resp, 404, "RESOURCE_DOES_NOT_EXIST", f"Run with id={'0' * 32} not found")


def test_log_inputs_on_deleted_run(rest, client, experiment_id):
    run_id = make_run(rest, experiment_id)["run_id"]
    client.delete_run(run_id)
    resp = rest.post("runs/log-inputs", {"run_id": run_id, "datasets": [
        {"dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "{}"}}]})
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE", "must be in the 'active' state")
