"""Container smoke test client (scripts/smoke-container), using the real mlflow client.

    python smoke_client.py log URI           log a run, print run_id=ID as the last line
    python smoke_client.py check URI RUN_ID  find that run again, with its params, metrics and tags
"""

import sys

import mlflow
from mlflow.tracking import MlflowClient

EXPERIMENT = "container-smoke"
LOSSES = [1.0, 0.5, 0.25, 0.125, 0.0625]


def log(uri: str) -> None:
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(EXPERIMENT)
    with mlflow.start_run(run_name="smoke") as run:
        mlflow.log_param("alpha", "0.5")
        mlflow.set_tag("purpose", "container smoke test")
        for step, loss in enumerate(LOSSES):
            mlflow.log_metric("loss", loss, step=step)
    # The client prints links to the run as well: the id goes last, with a prefix.
    print(f"run_id={run.info.run_id}")


def check(uri: str, run_id: str) -> None:
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name(EXPERIMENT)
    assert experiment is not None, f"experiment {EXPERIMENT!r} is gone"
    run = client.get_run(run_id)
    assert run.info.experiment_id == experiment.experiment_id, run.info
    assert run.info.status == "FINISHED", run.info.status
    assert run.data.params == {"alpha": "0.5"}, run.data.params
    assert run.data.tags.get("purpose") == "container smoke test", run.data.tags
    history = client.get_metric_history(run_id, "loss")
    assert [m.value for m in sorted(history, key=lambda m: m.step)] == LOSSES, history
    print(f"run {run_id} found in experiment {experiment.experiment_id} with its param, tag and {len(history)} metric points")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "log":
        log(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
