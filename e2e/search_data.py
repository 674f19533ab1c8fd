"""The dataset and the case requests of the differential search test (test_search.py).

`build_dataset(rest, client, prefix)` logs a fixed dataset into six fresh experiments whose names start
with `prefix`; `RUN_CASES`, `EXPERIMENT_CASES` and `ERROR_CASES` are the requests. The expected
answers live in search_corpus.json and are recorded from a real `mlflow server` 3.17.2
(`E2E_RECORD=1`, see README.md), never written by hand.

Placeholders, replaced in every string of a request before it is sent (run and experiment ids and
creation times differ per server and per session):
  ${run:r04}     the id of run r04                ${exp:alpha}   the id of experiment <prefix>alpha
  ${ctime:beta}  creation_time of <prefix>beta    ${P} / ${PU}   the name prefix / the prefix upper-cased
Experiment names are reported without the prefix, runs by run name (info.run_name).

Determinism. Run ids are random, so every run has a distinct start_time: the tie-break of
`runs/search` is `start_time DESC` (or `run_uuid ASC` when start_time itself is an order key, which
is then never tied), and so every answer's order is fixed by the data. Experiments are created in a
fixed order a few milliseconds apart, so creation_time and experiment_id both follow that order.

Backend independence. Values that are *sorted* as strings (run names, params.n/lr, tags.prio/team,
user ids, statuses, experiment names after the shared prefix) use only digits and lower-case ASCII
letters (statuses: upper case only), whose order is the same under SQLite's byte order and under
any PostgreSQL collation (C or a linguistic one such as en_US). Mixed-case values (params.opt,
tags.Owner, dataset name 'Test') are only filtered on, never sorted. LIKE patterns contain no backslash
(PostgreSQL treats it as LIKE's escape character, SQLite does not), and ILIKE is only used on ASCII
(SQLite lowers ASCII only). Filters never compare a value containing a backslash other than with `=`.
"""

from __future__ import annotations

import base64
import time

T0 = 1_700_000_000_000  # start_time base of every run (ms)
N_RUNS = 50  # r01..r36 in alpha, r37..r48 in beta, r49..r50 in delta (deleted experiment)
DELETED_RUNS = (6, 17, 31, 40)  # runs/delete
RUN_NAME_TAG_DELETED = 13  # runs/delete-tag mlflow.runName: runs.name stays, the tag is gone
NO_USER_ID = 9  # created without user_id
CONTEXT_TAG = "mlflow.data.context"

# name suffix -> experiment tags; created in this order (delta is deleted at the end)
EXPERIMENTS = {
    "alpha": {"team": "ml", "Owner": "Alice", "note": "it's"},
    "beta": {"team": "data", "Owner": "alice"},
    "gamma": {"Owner": "ALICE"},
    "delta": {"team": "ml"},
    "epsilon": {"team": "ml", "Owner": "bob"},
    "zeta": {},
}
DELETED_EXPERIMENT = "delta"

STATUSES = ["RUNNING", "FINISHED", "FAILED", "KILLED"]
NOTES = {3: "it's", 4: 'say "hi"', 12: "it''s", 8: "50% off", 10: "back\\slash", 15: "ü", 16: "x_y"}

# (name, digest) -> the dataset dict sent to runs/log-inputs
DATASETS = {
    "aaa111": {"name": "train", "digest": "aaa111", "source_type": "local", "source": "{\"uri\": \"/d/train1\"}"},
    "bbb222": {"name": "eval", "digest": "bbb222", "source_type": "local", "source": "{\"uri\": \"/d/eval\"}"},
    "ccc333": {"name": "train", "digest": "ccc333", "source_type": "local", "source": "{\"uri\": \"/d/train2\"}"},
    "ddd444": {"name": "Test", "digest": "ddd444", "source_type": "local", "source": "{\"uri\": \"/d/test\"}"},
}


def run_name(i: int) -> str:
    return f"r{i:02d}"


def run_experiment(i: int) -> str:
    return "alpha" if i <= 36 else "beta" if i <= 48 else "delta"


def start_time(i: int) -> int:
    # a permutation of 1..50 (53 is prime): start order differs from name order, no two runs tie
    return T0 + ((i * 17) % 53) * 1000


def end_time(i: int) -> int | None:
    status = STATUSES[i % 4]
    if status == "RUNNING" or (status == "FAILED" and i % 8 == 6):
        return None
    return start_time(i) + 100 * ((i * 7) % 9) + i  # < 1000 after the start: distinct, other order


def loss_history(i: int) -> list[tuple[float | str, int, int]]:
    """[(value, timestamp, step)] logged for metric 'loss' ('NaN'/'Infinity' as protobuf JSON strings)."""
    if i % 6 == 5:
        return []  # no loss at all
    if i == 3:  # the highest step wins even though another value has a later timestamp
        return [(0.3, T0 + 1, 5), (9.9, T0 + 100, 1)]
    if i == 4:  # same step: the later timestamp wins
        return [(0.9, T0 + 1, 2), (0.1, T0 + 5, 2)]
    if i == 8:  # same step and timestamp: the larger value wins
        return [(0.2, T0 + 3, 3), (0.6, T0 + 3, 3)]
    special = {7: "NaN", 19: "NaN", 26: "Infinity", 14: "-Infinity"}
    if i in special:
        latest: float | str = special[i]
    elif i % 5 == 0:
        latest = -i / 10
    else:
        latest = ((i * 13) % 17) / 10  # 17 distinct values over ~40 runs: ties (broken by start_time)
    if i % 2:
        return [(5.0 + i, T0 + 10, 0), (3.0, T0 + 11, 1), (latest, T0 + 12, 2)]
    return [(latest, T0 + 10, 0)]


def metrics(i: int) -> list[dict]:
    out = [{"key": "loss", "value": v, "timestamp": ts, "step": step} for v, ts, step in loss_history(i)]
    if i % 4 != 3:
        out.append({"key": "acc", "value": (i % 5) / 4, "timestamp": T0, "step": 0})
    if i % 3 == 0:
        out.append({"key": "val loss", "value": i / 100, "timestamp": T0, "step": 0})
    if i % 9 == 0:
        out.append({"key": "a/b", "value": float(i), "timestamp": T0, "step": 0})
    return out


def params(i: int) -> dict[str, str]:
    p = {"lr": ["0.1", "0.01", "0.001", "1e-3"][(i // 2) % 4],
         "opt": ["adam", "Adam", "ADAM", "sgd", "SGD"][(i * 3) % 5]}
    if i % 7:
        p["n"] = ["10", "9", "100", "2", "09"][i % 5]
    if i % 3 != 1:
        p["batch size"] = "32" if i % 2 else "64"
    if i % 9 == 0:
        p["a/b"] = "x"
    if i % 2 == 0:
        p["code"] = ["abc%", "abcd", "ab_c", "abc"][(i // 2) % 4]
    if i % 10 == 0:
        p["empty"] = ""
    return p


def tags(i: int) -> dict[str, str]:
    t = {"Owner": ["alice", "Alice", "ALICE", "bob"][i % 4]}
    if i % 4:
        t["team"] = ["vision", "nlp", "speech"][(i // 3) % 3]
    if i % 5:
        t["prio"] = ["1", "2", "10", "20"][i % 4]
    if i in NOTES:
        t["note"] = NOTES[i]
    return t


def user_id(i: int) -> str | None:
    return None if i == NO_USER_ID else ["alice", "bob", "carol"][i % 3]


def datasets(i: int) -> list[tuple[str, str | None]]:
    """[(digest, context)] logged through runs/log-inputs (run r02 gets a pandas dataset instead)."""
    if i % 3 == 0:
        return [("aaa111", "training")]
    if i % 3 == 1:
        return [("bbb222", "eval")] + ([("ccc333", "training")] if i % 6 == 1 else [])
    if i % 4 == 0:
        return [("ddd444", None)]
    return []


def _ok(resp):
    assert resp.status_code == 200, f"{resp.request.method} {resp.url}: {resp.status_code} {resp.text[:500]}"
    return resp.json()


class Dataset:
    """What build_dataset created: ids by symbolic name, for placeholder substitution."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.exp_ids: dict[str, str] = {}
        self.exp_ctime: dict[str, int] = {}
        self.run_ids: dict[str, str] = {}

    def exp_name(self, key: str) -> str:
        return self.prefix + key


def build_dataset(rest, client, prefix: str) -> Dataset:
    import mlflow
    import pandas as pd

    ds = Dataset(prefix)
    for key, exp_tags in EXPERIMENTS.items():
        body = {"name": ds.exp_name(key), "tags": [{"key": k, "value": v} for k, v in exp_tags.items()]}
        ds.exp_ids[key] = _ok(rest.post("experiments/create", body))["experiment_id"]
        exp = _ok(rest.get("experiments/get", {"experiment_id": ds.exp_ids[key]}))["experiment"]
        ds.exp_ctime[key] = int(exp["creation_time"])
        time.sleep(0.01)  # distinct creation times

    for i in range(1, N_RUNS + 1):
        name = run_name(i)
        body = {"experiment_id": ds.exp_ids[run_experiment(i)], "run_name": name, "start_time": start_time(i),
                "tags": [{"key": k, "value": v} for k, v in tags(i).items()]}
        if user_id(i) is not None:
            body["user_id"] = user_id(i)
        run_id = _ok(rest.post("runs/create", body))["run"]["info"]["run_id"]
        ds.run_ids[name] = run_id
        _ok(rest.post("runs/log-batch", {"run_id": run_id, "metrics": metrics(i),
                                         "params": [{"key": k, "value": v} for k, v in params(i).items()]}))
        inputs = []
        for digest, context in datasets(i):
            entry = {"dataset": DATASETS[digest]}
            if context is not None:
                entry["tags"] = [{"key": CONTEXT_TAG, "value": context}]
            inputs.append(entry)
        if inputs:
            _ok(rest.post("runs/log-inputs", {"run_id": run_id, "datasets": inputs}))
        if i == 2:  # one dataset through the real client (digest computed from the frame, so deterministic)
            df = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})
            pds = mlflow.data.from_pandas(df, source="/d/pandas.csv", name="pdds", targets="y")
            client.log_inputs(run_id, [mlflow.entities.DatasetInput(
                pds._to_mlflow_entity(), tags=[mlflow.entities.InputTag(CONTEXT_TAG, "validation")])])
        status = STATUSES[i % 4]
        if status != "RUNNING":
            update = {"run_id": run_id, "status": status}
            if end_time(i) is not None:
                update["end_time"] = end_time(i)
            _ok(rest.post("runs/update", update))
        if i == RUN_NAME_TAG_DELETED:
            _ok(rest.post("runs/delete-tag", {"run_id": run_id, "key": "mlflow.runName"}))
        if i in DELETED_RUNS:
            _ok(rest.post("runs/delete", {"run_id": run_id}))

    _ok(rest.post("experiments/delete", {"experiment_id": ds.exp_ids[DELETED_EXPERIMENT]}))
    return ds


# ------------------------------------------------------------------------------------------------
# The cases. Every request goes to the fixture experiments only: runs cases name their experiments
# (default alpha); experiment cases AND a `name LIKE '${P}%'` scope so other tests' experiments never
# leak in.

def R(case_id, filter=None, order_by=None, exps=("alpha",), view=None, max_results=None, detail=False,
      unordered=False, **extra):
    """A runs/search case that returns runs.

    detail: also compare each run's content (info without ids, latest metrics, params, tags, inputs).
    unordered: compare the runs as a set (the order depends on the random run ids).
    extra: raw request fields (page_token, experiment_ids_raw: experiment_ids sent verbatim).
    """
    req = {"experiments": list(exps)}
    if filter is not None:
        req["filter"] = filter
    if order_by is not None:
        req["order_by"] = order_by if isinstance(order_by, str) else list(order_by)
    if view is not None:
        req["run_view_type"] = view
    if max_results is not None:
        req["max_results"] = max_results
    req.update(extra)
    case = {"id": case_id, "endpoint": "runs", "request": req}
    if detail:
        case["detail"] = True
    if unordered:
        case["unordered"] = True
    return case


def _token(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SCOPE = "name LIKE '${P}%'"


def E(case_id, filter=None, order_by=None, view=None, max_results=1000, method="POST", scoped=True, detail=False):
    """An experiments/search case that returns experiments (scoped to this dataset's prefix)."""
    clauses = [SCOPE] if scoped else []
    if filter:
        clauses.append(filter)
    req = {"method": method, "filter": " AND ".join(clauses)}
    if order_by is not None:
        req["order_by"] = list(order_by)
    if view is not None:
        req["view_type"] = view
    if max_results is not None:
        req["max_results"] = max_results
    case = {"id": case_id, "endpoint": "experiments", "request": req}
    if detail:
        case["detail"] = True
    return case


def RX(case_id, filter=None, order_by=None, exps=("alpha",), **extra):
    """A runs/search case that fails."""
    case = R(case_id, filter, order_by, exps, **extra)
    case["kind"] = "error"
    return case


def EX(case_id, **req):
    """An experiments/search case that fails (raw request fields)."""
    req.setdefault("method", "POST")
    return {"id": case_id, "endpoint": "experiments", "request": req, "kind": "error"}


AB = ("alpha", "beta")
T = T0 + 20_000  # a start_time in the middle of the range

RUN_CASES = [
    # --- no filter, view types, experiment selection
    R("all-default-order"),
    R("all-two-experiments", exps=AB),
    R("all-view-all", view="ALL", exps=AB, detail=True),
    R("all-deleted-only", view="DELETED_ONLY", exps=AB),
    R("all-active-only-explicit", view="ACTIVE_ONLY"),
    R("all-view-number-3", view=3),
    R("empty-experiment", exps=("gamma",)),
    R("deleted-experiment-active", exps=("delta",)),
    R("deleted-experiment-deleted-only", exps=("delta",), view="DELETED_ONLY"),
    R("unknown-experiment-id", exps=("missing",)),
    R("no-experiment-ids", exps=()),
    R("max-results-5", max_results=5),
    R("max-results-1-ordered", order_by=["metrics.loss ASC"], max_results=1),
    R("max-results-exact-size", filter="params.n = '100'", max_results=5),  # full page, nothing after: no token
    R("empty-filter-string", filter=""),
    R("max-results-numeric-string", max_results="5"),
    R("view-type-unknown-name-ignored", view="all"),  # an unknown enum name is dropped: ACTIVE_ONLY
    R("experiment-ids-numbers-dropped", exps=(), experiment_ids_raw=[1, 2]),  # not strings: no ids, {}
    R("page-token-string-offset", order_by=["metrics.loss DESC"], page_token=_token('{"offset": "7"}')),
    R("page-token-past-the-end", page_token=_token('{"offset": 100}')),
    # --- metrics: every comparator, latest value only, NaN / inf / negative
    R("metric-gt", "metrics.loss > 1"),
    R("metric-ge", "metrics.loss >= 1.2"),
    R("metric-lt", "metrics.loss < 0"),
    R("metric-le", "metrics.loss <= 0.3"),
    R("metric-eq", "metrics.loss = 0.8"),
    R("metric-ne-includes-nan", "metrics.loss != 0.8"),
    R("metric-eq-zero-not-nan", "metrics.loss = 0"),
    R("metric-gt-huge-is-inf", "metrics.loss > 1e308"),
    R("metric-lt-neg-huge-is-neg-inf", "metrics.loss < -1e308"),
    R("metric-ge-float-max", "metrics.loss >= 1.7976931348623157e308"),
    R("metric-history-not-searched", "metrics.loss >= 5"),
    R("metric-latest-highest-step", "metrics.loss = 0.3", exps=AB),
    R("metric-latest-later-timestamp", "metrics.loss = 0.1"),
    R("metric-latest-larger-value", "metrics.loss = 0.6"),
    R("metric-int-literal", "metrics.acc = 1"),
    R("metric-trailing-dot", "metrics.acc = 1."),
    R("metric-leading-dot", "metrics.acc > .5"),
    R("metric-exponent", "metrics.acc < 2.5E-1"),
    R("metric-negative-literal", "metrics.loss > -1.5 AND metrics.loss < -0.5"),
    R("metric-alias-singular", "metric.acc >= 0.75"),
    R("metric-backticks-space", "metrics.`val loss` > 0.1"),
    R("metric-double-quotes-space", 'metrics."val loss" <= 0.2'),
    R("metric-slash-key", "metrics.`a/b` > 10", exps=AB),
    R("metric-missing-key-never-matches", "metrics.nope != 1"),
    R("metric-no-spaces-lower-and", "metrics.acc>0.5 and metrics.loss<1"),
    # --- params
    R("param-eq", "params.lr = '0.01'"),
    R("param-eq-double-quoted", 'params.lr = "0.01"'),
    R("param-ne-excludes-missing", "params.n != '10'"),
    R("param-string-not-numeric", "params.lr = '1e-3'"),
    R("param-like-prefix", "params.n LIKE '1%'"),
    R("param-like-lowercase-op", "params.n like '%0'"),
    R("param-like-case-sensitive", "params.opt LIKE 'adam'"),
    R("param-ilike", "params.opt ILIKE 'adam'"),
    R("param-like-upper-prefix", "params.opt LIKE 'A%'"),
    R("param-ilike-lowercase-op", "params.opt ilike 's%'"),
    R("param-like-percent-wildcard", "params.code LIKE 'abc%'"),
    R("param-like-underscore-wildcard", "params.code LIKE 'ab_c'"),
    R("param-eq-literal-percent", "params.code = 'abc%'"),
    R("param-backticks-space", "params.`batch size` = '32'"),
    R("param-double-quotes-is-null", 'params."batch size" IS NULL'),
    R("param-slash-key", "params.`a/b` = 'x'", exps=AB),
    R("param-is-null", "params.n IS NULL"),
    R("param-is-not-null-lower", "params.n is not null"),
    R("param-is-null-two-spaces", "params.n IS  NULL"),
    R("param-empty-value", "params.empty = ''", exps=AB),
    R("param-alias-parameters", "parameters.lr = '0.1'"),
    R("param-alias-param", "param.lr != '0.1'"),
    R("param-two-clauses", "params.lr = '0.01' AND params.n = '10'"),
    # --- tags
    R("tag-eq", "tags.team = 'nlp'"),
    R("tag-ne-excludes-missing", "tag.team != 'nlp'"),
    R("tag-is-null", "tags.team IS NULL"),
    R("tag-is-not-null", "tags.team IS NOT NULL"),
    R("tag-like-case-sensitive", "tags.Owner LIKE 'alice'"),
    R("tag-ilike", "tags.Owner ILIKE 'alice'"),
    R("tag-like-upper", "tags.Owner LIKE 'A%'"),
    R("tag-ilike-prefix", "tags.Owner ILIKE 'a%'"),
    R("tag-key-case-sensitive", "tags.owner = 'bob'"),
    R("tag-value-single-quote", "tags.note = \"it's\""),
    R("tag-value-double-quotes", "tags.note = 'say \"hi\"'"),
    R("tag-value-doubled-quote-not-unescaped", "tags.note = 'it''s'"),
    R("tag-like-percent", "tags.note LIKE '50%'"),
    R("tag-like-underscore-literal", "tags.note LIKE 'x_y'"),
    R("tag-eq-backslash", "tags.note = 'back\\slash'"),
    R("tag-eq-unicode", "tags.note = 'ü'"),
    R("tag-run-name-backticks", "tags.`mlflow.runName` = 'r03'"),
    R("tag-run-name-dotted", "tags.mlflow.runName = 'r03'"),
    R("tag-run-name-double-quoted-like", 'tags."mlflow.runName" LIKE \'r1%\''),
    R("tag-run-name-single-quoted-key", "tags.'mlflow.runName' = 'r04'"),
    R("tag-run-name-is-null", "tags.`mlflow.runName` IS NULL"),
    R("tag-prio-string-eq", "tags.prio = '10'"),
    # --- attributes
    R("status-eq", "attributes.status = 'FINISHED'"),
    R("status-ne", "status != 'RUNNING'"),
    R("status-like", "attr.status LIKE 'F%'"),
    R("status-ilike", "run.status ILIKE 'k%'"),
    R("status-case-sensitive-eq", "attributes.status = 'finished'"),
    R("user-eq", "attributes.user_id = 'alice'"),
    R("user-like-case-sensitive", "user_id LIKE 'ALICE'"),
    R("user-ilike", "user_id ILIKE 'ALICE'"),
    R("user-ne", "user_id != 'alice'"),
    R("user-empty", "user_id = ''"),
    R("run-name-eq", "attributes.run_name = 'r03'"),
    R("run-name-like", "run_name LIKE 'r1%'"),
    R("run-name-backticked-alias", "`run name` = 'r07'"),
    R("run-name-alias-ilike", "attributes.`Run Name` ILIKE 'R2%'"),
    R("run-name-quoted-alias", 'attributes."Run name" != \'r03\''),
    R("run-name-uses-tag-not-column", "run_name = 'r13'"),
    R("run-id-eq", "attributes.run_id = '${run:r04}'"),
    R("run-id-ne", "run_id != '${run:r04}'"),
    R("run-id-in", "attributes.run_id IN ('${run:r04}', '${run:r06}', '${run:r40}')", exps=AB),
    R("run-id-in-view-all", "run_id IN ('${run:r04}', '${run:r06}', '${run:r40}')", exps=AB, view="ALL"),
    R("run-id-in-lowercase-double-quotes", 'run_id in ("${run:r10}","${run:r11}",)'),
    R("run-id-not-in", "run_id NOT IN ('${run:r01}', '${run:r02}', '${run:r03}')"),
    R("run-id-in-other-experiment", "run_id IN ('${run:r40}')", view="ALL"),
    R("start-time-gt", f"attributes.start_time > {T}"),
    R("start-time-le", f"start_time <= {T}"),
    R("start-time-eq", f"start_time = {T0 + 21_000}", exps=AB),
    R("start-time-ne", f"start_time != {T0 + 21_000}"),
    R("created-alias", f"created >= {T0 + 40_000}"),
    R("created-capital-alias-float", f"Created < {T0 + 10_000}.5"),
    R("end-time-gt", f"end_time > {T}"),
    R("end-time-ne-excludes-null", "end_time != 0"),
    R("end-time-lt", f"attributes.end_time < {T}"),
    R("end-time-eq", f"end_time = {end_time(3)}", exps=AB),
    R("artifact-uri-like-suffix", "artifact_uri LIKE '%/artifacts'"),
    R("artifact-uri-like-run-id", "artifact_uri LIKE '%${run:r05}%'"),
    # --- datasets
    R("dataset-name-eq", "datasets.name = 'train'"),
    R("dataset-name-like", "dataset.name LIKE 'tr%'"),
    R("dataset-name-ilike", "datasets.name ILIKE 'test'", exps=AB, detail=True),
    R("dataset-name-like-case-sensitive", "datasets.name LIKE 'test'"),
    R("dataset-name-ne", "datasets.name != 'train'"),
    R("dataset-name-not-in", "datasets.name NOT IN ('train', 'eval')"),
    R("dataset-digest-eq", "datasets.digest = 'ccc333'"),
    R("dataset-digest-in", "datasets.digest IN ('aaa111', 'ddd444')", exps=AB),
    R("dataset-context-eq", "datasets.context = 'training'"),
    R("dataset-context-ne", "datasets.context != 'training'"),
    R("dataset-context-like", "datasets.context LIKE 'ev%'"),
    R("dataset-context-in", "datasets.context IN ('eval', 'validation')"),
    R("dataset-name-and-context-any-input", "datasets.name = 'train' AND datasets.context = 'eval'"),
    R("dataset-name-and-digest", "datasets.name = 'train' AND datasets.digest = 'ccc333'"),
    R("dataset-pandas", "datasets.name = 'pdds' AND datasets.context = 'validation'"),
    # --- combinations, grammar leniency
    R("combo-four-entities", "metrics.loss < 1 AND params.batch_size_missing IS NULL AND tags.team = 'nlp' "
                             "AND status = 'FINISHED'"),
    R("combo-metric-param-tag", "metrics.acc >= 0.5 AND params.lr LIKE '0.%' AND tags.Owner ILIKE 'ALICE'"),
    R("combo-and-optional", "tags.team = 'nlp' params.lr = '0.001'"),  # two clauses, both applied
    R("combo-leading-and", "AND metrics.acc > 0.5"),
    R("combo-trailing-and", "metrics.acc > 0.5 AND"),
    R("combo-double-and", "metrics.acc > 0.5 AND AND params.n = '2'"),
    R("combo-whitespace", "\tmetrics.loss\n<\n1   AND\tparams.n = '9' "),
    R("combo-same-key-twice", "metrics.loss > 0 AND metrics.loss < 1"),
    R("combo-contradiction", "params.lr = '0.1' AND params.lr = '0.01'"),
    R("combo-attributes", f"status = 'KILLED' AND end_time > {T} AND user_id != 'bob'", exps=AB),
    R("combo-deleted-only-filter", "metrics.acc >= 0", view="DELETED_ONLY", exps=AB),
    R("combo-view-all-filter", "tags.team = 'speech'", view="ALL", exps=AB),
    # --- order_by
    R("order-metric-asc", order_by=["metrics.loss ASC"]),
    R("order-metric-desc", order_by=["metrics.loss DESC"]),
    R("order-metric-default-asc", order_by=["metrics.acc"]),
    R("order-metric-desc-ties", order_by=["metric.acc desc"]),
    R("order-metric-view-all", order_by=["metrics.loss DESC"], view="ALL", exps=AB),
    R("order-metric-backticks", order_by=["metrics.`val loss` DESC"]),
    R("order-metric-whole-backticked", order_by=["`metrics.loss` DESC"]),
    R("order-metric-tab", order_by=["metrics.loss\tDESC"]),
    R("order-param-asc-strings", order_by=["params.n ASC"]),
    R("order-param-desc-missing-last", order_by=["params.n DESC"]),
    R("order-param-lr", order_by=["params.lr DESC"]),
    R("order-param-quoted-key", order_by=['params."batch size" Desc']),
    R("order-tag-asc", order_by=["tags.prio"]),
    R("order-tag-desc", order_by=["tags.prio DESC"]),
    R("order-tag-single-quoted-key", order_by=["tags.'prio' DESC"]),
    R("order-tag-run-name-tag", order_by=["tags.`mlflow.runName` DESC"]),
    R("order-run-name-column", order_by=["attributes.run_name"]),
    R("order-run-name-desc", order_by=["run_name DESC"], view="ALL", exps=AB),
    R("order-start-time-asc", order_by=["start_time ASC"]),
    R("order-created-desc", order_by=["attribute.created DESC"], exps=AB),
    R("order-end-time-asc", order_by=["end_time"]),
    R("order-end-time-desc", order_by=["attributes.end_time DESC"]),
    R("order-status", order_by=["status"]),
    R("order-status-desc", order_by=["status DESC"]),
    R("order-user-id", order_by=["user_id ASC"]),
    R("order-run-id-set-only", order_by=["run_id"], unordered=True),  # ids are random: compare the set
    R("order-two-keys", order_by=["metrics.acc DESC", "params.n ASC"]),
    R("order-three-keys", order_by=["tags.team", "end_time DESC", "start_time ASC"]),
    R("order-status-then-metric", order_by=["status", "metrics.loss DESC"], exps=AB),
    R("order-param-then-created", order_by=["params.lr", "Created"]),
    R("order-tag-then-run-name", order_by=["tags.team DESC", "run_name"]),
    R("order-missing-key", order_by=["metrics.nope DESC"]),
    R("order-filter-metric", "metrics.loss != 0.8", order_by=["metrics.loss"]),
    R("order-filter-param", "params.n IS NOT NULL", order_by=["params.n DESC", "metrics.acc"]),
    R("order-filter-dataset", "datasets.context = 'training'", order_by=["metrics.loss DESC"], exps=AB),
    R("order-page-size-5", order_by=["metrics.loss DESC"], max_results=5),
]

EXPERIMENT_CASES = [
    E("exp-all-default-order"),
    E("exp-view-all", view="ALL", detail=True),
    E("exp-view-deleted-only", view="DELETED_ONLY"),
    E("exp-view-number", view=3),
    E("exp-name-eq", "name = '${P}alpha'"),
    E("exp-name-ne", "name != '${P}alpha'"),
    E("exp-name-ilike", "name ILIKE '${PU}%A'"),
    E("exp-name-like-case-sensitive", "name LIKE '${PU}%'", scoped=False),
    E("exp-name-backticks", "`name` LIKE '%ta'"),
    E("exp-name-attribute-prefix", 'attribute.name = "${P}beta"'),
    E("exp-tag-eq", "tags.team = 'ml'"),
    E("exp-tag-eq-view-all", "tag.team = 'ml'", view="ALL"),
    E("exp-tag-ne-excludes-missing", "tags.team != 'ml'"),
    E("exp-tag-is-null", "tags.team IS NULL"),
    E("exp-tag-is-not-null", "tags.Owner IS NOT NULL"),
    E("exp-tag-like", "tags.Owner LIKE 'A%'"),
    E("exp-tag-ilike", "tags.Owner ILIKE 'a%'"),
    E("exp-tag-quote", "tags.note = \"it's\""),
    E("exp-creation-time-gt", "creation_time > ${ctime:beta}"),
    E("exp-creation-time-le", "creation_time <= ${ctime:gamma}"),
    E("exp-creation-time-eq", "creation_time = ${ctime:epsilon}"),
    E("exp-last-update-time", "last_update_time >= ${ctime:alpha}", view="ALL"),
    E("exp-id-eq", "experiment_id = '${exp:beta}'"),
    E("exp-id-ne", "experiment_id != '${exp:beta}'"),
    E("exp-id-in", "experiment_id IN ('${exp:alpha}', '${exp:gamma}', '${exp:delta}')"),
    E("exp-id-not-in-lower", "experiment_id not in ('${exp:alpha}')", view="ALL"),
    E("exp-order-name", order_by=["name"]),
    E("exp-order-name-desc", order_by=["name DESC"], view="ALL"),
    E("exp-order-creation-time-asc", order_by=["creation_time"]),
    E("exp-order-experiment-id-desc", order_by=["experiment_id DESC"]),
    E("exp-order-attribute-name", order_by=["attribute.name ASC", "creation_time DESC"]),
    E("exp-order-duplicate-allowed", order_by=["name DESC", "name"]),
    E("exp-page-size-2", max_results=2),
    E("exp-get-with-order", "tags.team IS NOT NULL", order_by=["name DESC"], method="GET"),
    E("exp-get-view-all", method="GET", view="ALL"),
]

ERROR_CASES = [
    # run filter grammar
    RX("err-whitespace-filter", "   "),
    RX("err-metric-bad-comparator", "metrics.loss <<< 1"),
    RX("err-metric-quoted-value", "metrics.loss = '1'"),
    RX("err-metric-exponent-plus", "metrics.x > 1e+5"),
    RX("err-param-unquoted-number", "params.lr = 0.01"),
    RX("err-param-bare-word", "params.lr = lr"),
    RX("err-param-not-like", "params.lr NOT LIKE '%1'"),
    RX("err-param-gt", "params.lr > '1'"),
    RX("err-tag-double-equals", "tags.x == 'a'"),
    RX("err-metric-is-null", "metrics.loss IS NULL"),
    RX("err-attribute-is-null", "attributes.end_time IS NULL"),
    RX("err-key-with-space", "tags.my tag = 'x'"),
    RX("err-key-with-dash", "params.a-b = 'x'"),
    RX("err-status-in", "attributes.status IN ('FINISHED')"),
    RX("err-run-id-empty-list", "attributes.run_id IN ()"),
    RX("err-run-id-number-list", "attributes.run_id IN (1, 2)"),
    RX("err-run-id-ill-formed-list", "attributes.run_id IN ('a',,'b')"),
    RX("err-tag-in", "tags.x IN ('a')"),
    RX("err-start-time-quoted", "attributes.start_time > '0'"),
    RX("err-start-time-like", "attributes.start_time LIKE 1"),
    RX("err-status-gt", "attributes.status > 'A'"),
    RX("err-status-null", "status = NULL"),
    RX("err-unknown-attribute", "attributes.lifecycle_stage = 'active'"),
    RX("err-unknown-entity", "foo.bar = 'x'"),
    RX("err-upper-entity", "METRICS.loss < 1"),
    RX("err-backticked-identifier", "`metrics.loss` < 1"),
    RX("err-or", "metrics.loss < 1 OR metrics.loss > 2"),
    RX("err-parentheses", "(metrics.loss < 1)"),
    RX("err-not", "NOT tags.x = 'a'"),
    RX("err-two-statements", "metrics.loss < 1; metrics.x > 2"),
    RX("err-trailing-semicolon", "metrics.x > 1;"),
    RX("err-between", "metrics.loss BETWEEN 1 AND 2"),
    RX("err-value-first", "1 = metrics.loss"),
    RX("err-trailing-garbage", "metrics.loss < 1 garbage"),
    RX("err-dataset-key", "datasets.foo = 'x'"),
    RX("err-dataset-gt", "datasets.name > 'a'"),
    RX("err-dataset-is-null", "datasets.name IS NULL"),
    RX("err-dataset-unquoted", "datasets.name = 1"),
    RX("err-param-true", "params.x = true"),
    RX("err-number-glued-to-and", "metrics.x>1and params.y='a'"),
    RX("err-hex-number", "attributes.start_time > 0x10"),
    RX("err-is-not-null-two-spaces", "tags.x IS NOT  NULL"),
    # run order_by
    RX("err-order-leading-space", order_by=[" metrics.loss"]),
    RX("err-order-nulls-last", order_by=["metrics.loss DESC NULLS LAST"]),
    RX("err-order-empty", order_by=[""]),
    RX("err-order-comma", order_by=["metrics.loss, params.x"]),
    RX("err-order-bad-direction", order_by=["metrics.loss DESCENDING"]),
    RX("err-order-run-name-alias", order_by=["`Run name`"]),
    RX("err-order-unknown-entity", order_by=["foo.x"]),
    RX("err-order-dataset", order_by=["datasets.name"]),
    RX("err-order-duplicate", order_by=["metrics.a", "metric.a DESC"]),
    RX("err-order-duplicate-alias", order_by=["start_time", "created DESC"]),
    RX("err-filter-parse-before-order", "metrics.loss = '1'", order_by=["foo.x"]),
    RX("err-order-before-comparator", "metrics.loss <<< 1", order_by=["foo.x"]),  # comparators are checked last
    # runs: paging, max_results, ids, request types
    RX("err-token-not-base64", page_token="abc"),
    RX("err-token-empty-decode", page_token="!!!"),
    RX("err-token-not-json", page_token="bm90anNvbg=="),
    RX("err-token-offset-zero", page_token="eyJvZmZzZXQiOiAwfQ=="),
    RX("err-token-offset-string", page_token="eyJvZmZzZXQiOiAieCJ9"),
    RX("err-token-no-padding", page_token="eyJvZmZzZXQiOiAxfQ"),
    RX("err-max-results-zero", max_results=0),
    RX("err-max-results-negative", max_results=-1),
    RX("err-max-results-too-big", max_results=50001),
    RX("err-max-results-string", max_results="abc"),
    RX("err-filter-not-string", filter=123),
    RX("err-order-by-not-list", order_by="x"),
    RX("err-experiment-id-not-int", exps=("alpha",), experiment_ids_raw=["abc"]),
    # experiments
    EX("exp-err-no-max-results", filter=SCOPE),
    EX("exp-err-max-results-too-big", filter=SCOPE, max_results=50001),
    EX("exp-err-max-results-string", method="GET", filter=SCOPE, max_results="abc"),
    EX("exp-err-like-lowercase", filter="name like 'a%'", max_results=10),
    EX("exp-err-attributes-entity", filter="attributes.name = 'a'", max_results=10),
    EX("exp-err-name-is-null", filter="name IS NULL", max_results=10),
    EX("exp-err-creation-time-float", filter="creation_time > 1.5", max_results=10),
    EX("exp-err-creation-time-quoted", filter="creation_time > '0'", max_results=10),
    EX("exp-err-id-in-lowercase", filter="experiment_id in ('1','2')", max_results=10),
    EX("exp-err-id-not-int", filter="experiment_id = 'abc'", max_results=10),
    EX("exp-err-id-unquoted", filter="experiment_id = 1", max_results=10),
    EX("exp-err-name-in", filter="name IN ('a')", max_results=10),
    EX("exp-err-tag-gt", filter="tags.team > 'a'", max_results=10),
    EX("exp-err-unknown-attribute", filter="lifecycle_stage = 'active'", max_results=10),
    EX("exp-err-or", filter="name = 'a' OR name = 'b'", max_results=10),
    EX("exp-err-order-tag", order_by=["tags.x"], max_results=10),
    EX("exp-err-order-bad-direction", order_by=["name ASCENDING"], max_results=10),
    EX("exp-err-token", page_token="abc", max_results=10),
    EX("exp-err-creation-time-exponent", filter="creation_time = 1e3", max_results=10),
    EX("exp-err-tag-unquoted", filter="tags.team = 1", max_results=10),
    EX("exp-err-tag-like-lowercase", filter="tags.team like 'a'", max_results=10),
    EX("exp-err-order-unknown-key", order_by=["foo"], max_results=10),
    EX("exp-err-order-attributes-entity", order_by=["attributes.name"], max_results=10),
    # Left out on purpose: answers that are Python internals, not MLflow messages, and that the spec lets a
    # port turn into a 400 (`run_id IN (a)`: "malformed node or string ... <ast.Name object at 0x...>"; a
    # page token of a JSON list: "'list' object has no attribute 'get'"; {"max_results": null}: a
    # TypeError), and a negative page offset, which SQLite treats as 0 while PostgreSQL rejects it.
]
