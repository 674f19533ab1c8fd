"""Regenerates MLflowSearchCases.swift: every input below run through MLflow 3.17.2's own search
functions (the parser, and a real SqlAlchemyStore on a scratch SQLite file for the checks that
happen in the store), with the outcome recorded as the expectation of the Swift tests.

    /path/to/venv-with-mlflow-3.17.2/bin/python Tests/TrackingCoreTests/Search/generate_cases.py

Besides the hand-picked inputs, RANDOM_CASES (default 400) seeded random filters and order-bys
are recorded; a larger run (RANDOM_CASES=20000) is a differential fuzz of our parser against
MLflow's. Python prints sets in a per-process order; messages are rewritten to the one order we print.
"""

import ast
import os
import re
import sys
import tempfile

import mlflow
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchExperimentsUtils, SearchUtils

assert mlflow.__version__ == "3.17.2", mlflow.__version__

FIXED_SETS = [
    [">", ">=", "!=", "<", "<=", "="],
    ["!=", "=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"],
    ["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"],
    ["artifact_uri", "end_time", "run_id", "run_name", "start_time", "status", "user_id", "created", "Created",
     "run name", "Run name", "Run Name"],
    ["artifact_uri", "end_time", "run_id", "run_name", "start_time", "status", "user_id", "created", "Created"],
    ["name", "digest", "context"],
    ["name", "experiment_id", "creation_time", "last_update_time"],
]


def fix_sets(message):
    def repl(m):
        try:
            items = ast.literal_eval(m.group(0))
        except Exception:
            return m.group(0)
        if not isinstance(items, set):
            return m.group(0)
        for fixed in FIXED_SETS:
            if set(fixed) == items:
                return "{" + ", ".join(repr(x) for x in fixed) + "}"
        return m.group(0)

    return re.sub(r"\{'[^{}]*'\}", repl, message)


def outcome(fn):
    try:
        return ("ok", fn())
    except MlflowException as e:
        return ("error", fix_sets(e.message), e.error_code)
    except Exception as e:  # what MLflow turns into a 500
        return ("crash", f"{type(e).__name__}: {e}", "INTERNAL_ERROR")


def swift_string(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F:
            out.append("\\u{%x}" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def swift_value(typ, value):
    if value is None:
        return ".none"
    if typ == "metric":
        return f".number({swift_string(value)})"
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return f".int({value})"
    if isinstance(value, float):
        return f".double({value!r})"
    if isinstance(value, tuple):
        return ".list([" + ", ".join(swift_string(v) for v in value) + "])"
    return f".string({swift_string(value)})"


ENTITY = {"metric": ".metric", "parameter": ".parameter", "tag": ".tag", "attribute": ".attribute", "dataset": ".dataset"}

RUN_FILTERS = [
    # Found by the one-off million-input fuzz run: stale indices in sqlparse's grouping.
    "end:=:=datasets.:=;", "a:=:=b", "x:=:=y:=;", "a := := b ;", "params.x = 'a' and b:=:=c:=;",
    "", "   ", "metrics.loss < 1 and params.lr = '0.01'", "metric.loss<1", "metrics.loss <<< 1", "metrics.loss = '1'",
    "metrics.loss > -1.5e3", "metrics.loss > .5", "metrics.loss > 1.", "metrics.x > 1e+5", "metrics.x > 1E5",
    "metrics.x >= 0", "metrics.x != 0", "metrics.x <= -0.5", "metrics.x == 1", "metrics.x <> 1", "metrics.x = NaN",
    "metrics.x = null", "metrics.x LIKE 1", "params.lr = 0.01", 'params.lr = "0.01"', "params.lr = lr",
    "params.lr like '%1'", "params.lr ILIKE '%A'", "params.lr NOT LIKE '%1'", "params.lr > '1'", "params.x == 'a'",
    "params.lr <> 'x'", "params.lr is not null", "tags.x IS NULL", "tags.x is null", "metrics.loss IS NULL",
    "attributes.end_time IS NULL", "tags.`mlflow.runName` = 'x'", 'tags."my tag" = \'x\'', "tags.'my tag' = 'x'",
    "tags.mlflow.runName = 'x'", "tags.my tag = 'x'", "params.a-b = 'x'", "params.a:b = 'x'", "tag.x = 'it''s'",
    "tag.x = 'a\\'b'", "tag.x = \"a\\\"b\"", "attributes.run_id IN ('a', 'b')", "run_id in ('a','b')",
    "run_id NOT IN ('a')", "run_id not in ('a')", "attributes.status IN ('FINISHED')", "attributes.run_id IN ()",
    "attributes.run_id IN (1, 2)", "attributes.run_id IN ('a',,'b')", "tags.x IN ('a')", "metrics.x IN (1)",
    "attributes.start_time > 0", "created > 0", "Created > 0", "attributes.start_time > '0'",
    "attributes.start_time LIKE 1", "attributes.status > 'A'", "status = 'FINISHED'", "attr.status = 'RUNNING'",
    "run.status = 'RUNNING'", "status = NULL", "`run name` = 'x'", "attributes.`Run Name` = 'x'",
    'attributes."Run name" = \'x\'', "run name = 'x'", "attributes.lifecycle_stage = 'active'", "foo.bar = 'x'",
    "METRICS.loss < 1", "`metrics.loss` < 1", "metrics.loss < 1 OR metrics.loss > 2", "(metrics.loss < 1)",
    "NOT tags.x = 'a'", "metrics.loss < 1; metrics.x > 2", "metrics.x > 1;", "metrics.x > 1;;", "metrics.loss",
    "metrics.loss BETWEEN 1 AND 2", "1 = metrics.loss", "metrics.loss < 1 garbage",
    "attributes.run_id = 'a' -- comment", "tags.x = 'a' tags.y = 'b'", "AND metrics.x > 1", "metrics.x > 1 AND",
    "metrics.x > 1 AND AND params.y = 'a'", "metrics.x>1and params.y='a'", "metrics.x>12and params.y='a'",
    "attributes.start_time > 0x10", "tags.x IS NOT  NULL", "tags.x IS  NULL", "datasets.name = 'd'",
    "dataset.digest IN ('a','b')", "datasets.context = 'train'", "datasets.foo = 'x'", "datasets.name > 'a'",
    "datasets.name = 1", "datasets.name IS NULL", "params.x = true", "attributes.run_id IN (a)",
    "metrics.loss\t<\n1", "params.`a/b` = 'x'", "params.\"batch size\" = 'x'", "params.in = 'x'", "params.end = 'x'",
    "params.select = 'x'", "metrics.é > 1", "tags.x = 'é'", "metrics.1abc > 1", "params.x = 'a' and",
    "params.x = 'a' and tags.y != 'b' and metrics.z >= 2 and attributes.status = 'FINISHED'",
    "attributes.run_id IN ('a' 'b')", "attributes.run_id IN ('a',)", "attributes.run_id IN (('a','b'))",
    "attributes.run_id IN ('\\x41')", "attributes.run_id IN ('a', ['b'])", "attributes.run_id = ('a','b')",
    "attributes.artifact_uri LIKE 'file:%'", "attributes.user_id ILIKE 'ME'", "attributes.end_time < 5",
    "attributes.end_time > 1.5", "end_time != 3", "tags.x LIKE 'a%' and tags.x ILIKE 'A%'", "metrics.5 > 1",
    "a = 'x' = 'y'", "tags.x = 'a' -- c\n and tags.y = 'b'", "params.x = timestamp '1'", "tags.x = `y`",
    "tags.x = 'unterminated", "tags.x = \"unterminated", "tags.`x = 'a'", "params.x = 'a' ; ", "params.x = 'a'\n;",
    "params.x = 'a' OR", "params.x = ", "= 'a'", "params.", "params.x =", "params.x IS", "params.x IS NOT",
    "params.x NOT IN ('a')", "metrics.x > ٣", "run_id IN ('a') AND run_id NOT IN ('b')", "metrics.`x y` > 1",
    "metrics.\"x y\" > 1", "params.'x' = 'y'", "metrics.x > -.5", "metrics.x > -1.", "metrics.x > 1.5e",
    "metrics.x > --1", "metrics.x > +1", "tags.x = $1", "tags.x = ?", "tags.x = :a", "tags.x = %s",
    "attributes.run_id IN ('a')garbage", "tags.x = 'a'b", "params.x = [y]", "params.x != ''", "params.x = \"\"",
    "metrics.created > 1", "params.`run name` = 'x'", "metrics.x > 1 /* c */", "params.x = 'a' # c",
    "params.x = 'a' #c", "params.a.b.c = 'x'", "params . x = 'y'", "params. x = 'y'", "params .x = 'y'",
    "tags.x = 'a' and (tags.y = 'b')", "tags.x = case", "datasets.name IN ('a') AND datasets.context IN ('t')",
    "datasets.digest != 'x'", "datasets.name LIKE 'd%'", "attributes.run_name = 'x'", "run_name ILIKE 'X%'",
    "attributes.run_name IN ('a')", "attributes.status != 'FAILED'", "user_id = 'me'", "artifact_uri != 'x'",
    "attributes.experiment_id = '0'", "attributes.run_uuid = 'x'", "attributes.name = 'x'",
]

RUN_ORDERS = [
    "metrics.loss DESC", "metric.loss desc", "metrics.loss\tDESC", "params.lr ASC", "tags.`mlflow.runName`",
    "tags.\"a b\" DESC", "tags.'a b' DESC", "`metrics.loss` DESC", "`metrics.loss`", "start_time DESC", "created",
    "attribute.created DESC", "run_name", "status", "attributes.start_time", "end_time ASC", "run_id",
    "artifact_uri", "user_id Desc", " metrics.loss", "metrics.loss ", "metrics.loss ASC DESC", "metrics.loss, params.x",
    "metrics.loss DESC NULLS LAST", "", "metrics.loss DESCENDING", "run name", "`Run name`",
    "attributes.lifecycle_stage", "timestamp", "timestamp DESC", "foo.x", "datasets.name", "metrics.x y",
    "metrics.`x y` DESC", "params.\"a\\\"b\"", "tags.`a", "metrics.a.b", "metrics.1", "metrics.x;", "(metrics.x)",
    "metrics.x -- c", "METRICS.x", "params.x   DESC", "tags.x asc", "tags.x ASC ", "experiment_id",
]

RUN_SEARCHES = [
    # (filter, order_by, page_token)
    ("metrics.loss <<< 1", [], None), ("metrics.x LIKE 1", [], None), ("params.x NOT LIKE 'a'", [], None),
    ("params.x RLIKE 'a'", [], None), ("params.x > 'a'", [], None), ("tags.x > 'a'", [], None),
    ("tags.x NOT LIKE 'a'", [], None), ("attributes.start_time LIKE 1", [], None), ("attributes.status > 'A'", [], None),
    ("attributes.status LIKE 'A%'", [], None), ("datasets.name > 'a'", [], None), ("datasets.name NOT LIKE 'a'", [], None),
    ("params.x like 'a'", [], None), ("params.x ilike 'a'", [], None), ("run_id in ('a')", [], None),
    ("run_id not in ('a')", [], None), ("metrics.x == 1", [], None), ("created >= 1", [], None),
    ("metrics.created > 1", [], None), ("`Run Name` = 'x'", [], None), ("attributes.status IN ('A')", [], None),
    ("metrics.x > 1", ["metrics.a", "metric.a DESC"], None), ("", ["start_time", "created DESC"], None),
    ("", ["params.x", "param.x"], None), ("", ["tags.x", "params.x", "metrics.x", "start_time"], None),
    ("metrics.x <<< 1", ["bad order"], None), ("", ["bad order"], "!!!"), ("", ["datasets.name"], None),
    ("metrics.x > 1", [], "abc"), ("", [], "eyJvZmZzZXQiOiAxfQ"), ("", [], "!!!"), ("", [], "bm90anNvbg=="),
    ("", [], "eyJvZmZzZXQiOiAwfQ=="), ("", [], "eyJ4IjogMX0="), ("", [], "eyJvZmZzZXQiOiAieCJ9"),
    ("", [], "eyJvZmZzZXQiOiAiNyJ9"), ("", [], "eyJvZmZzZXQiOiAxfQ=="), ("", [], "eyJvZmZzZXQiOiAyLjd9"),
    ("", [], "e yJvZmZzZXQiOiAxfQ=="), ("", [], "eyJvZmZzZXQiOiBudWxsfQ=="), ("", [], "eyJvZmZzZXQiOiB0cnVlfQ=="),
    ("metrics.x > 1", [], None), ("params.x = 'a'", ["metrics.m DESC"], None),
    ("attributes.end_time > 1.5", [], None), ("datasets.context IN ('a')", [], None),
]

EXPERIMENT_SEARCHES = [
    # (filter, order_by, max_results, page_token)
    ("name = 'a'", [], 10, None), ("name LIKE 'a%'", [], 10, None), ("name ILIKE 'a%'", [], 10, None),
    ("name like 'a%'", [], 10, None), ("attribute.name = 'a'", [], 10, None), ("`name` = 'a'", [], 10, None),
    ('"name" = \'a\'', [], 10, None), ("attributes.name = 'a'", [], 10, None), ("params.x = 'a'", [], 10, None),
    ("tags.team = 'ml'", [], 10, None), ("tag.team = 'ml'", [], 10, None), ("tags.team is not null", [], 10, None),
    ("tags.team IS NULL", [], 10, None), ("name IS NULL", [], 10, None), ("creation_time > 0", [], 10, None),
    ("last_update_time >= 1700000000000", [], 10, None), ("creation_time > 1.5", [], 10, None),
    ("creation_time = 1e3", [], 10, None), ("creation_time > '0'", [], 10, None), ("creation_time LIKE 1", [], 10, None),
    ("experiment_id = '1'", [], 10, None), ("experiment_id IN ('1','2')", [], 10, None),
    ("experiment_id NOT IN ('1')", [], 10, None), ("experiment_id not in ('1')", [], 10, None),
    ("experiment_id in ('1','2')", [], 10, None), ("experiment_id > '1'", [], 10, None),
    ("experiment_id = 'abc'", [], 10, None), ("experiment_id IN ('1', 'a')", [], 10, None),
    ("experiment_id = 1", [], 10, None), ("name IN ('a')", [], 10, None), ("name > 'a'", [], 10, None),
    ("tags.team > 'a'", [], 10, None), ("tags.team like 'a'", [], 10, None),
    ("lifecycle_stage = 'active'", [], 10, None), ("name = 'a' OR name = 'b'", [], 10, None),
    ("metrics.x > 1", [], 10, None), ("name = 'a' garbage", [], 10, None), ("name != 'a'", [], 10, None),
    ("", ["tags.x"], 10, None), ("", ["name ASCENDING"], 10, None), ("", ["foo"], 10, None),
    ("", ["attributes.name"], 10, None), ("", ["name", "name"], 10, None), ("", ["last_update_time DESC"], 10, None),
    ("", [], 0, None), ("", [], 50001, None), ("", [], 50000, None), ("", [], -1, None), ("", [], 10, "abc"),
    ("bad", ["tags.x"], 10, "abc"), ("name = 'a'", ["tags.x"], 10, "abc"), ("name = 'a'", ["name"], 10, "abc"),
    ("experiment_id = ' 5 '", [], 10, None), ("creation_time > -1", [], 10, None),
]


FRAGMENTS = [
    "metrics.", "params.", "tags.", "attributes.", "datasets.", "run.", "attr.", "`", '"', "'", "''", "\\",
    "(", ")", "[", "]", ",", ";", ".", " ", "\t", "\n", "=", "!=", "<", "<=", ">", ">=", "<<", "==", "<>",
    "LIKE", "ILIKE", "NOT", "IN", "IS", "NULL", "AND", "OR", "and", "in", "not", "is", "-", "--", "# ", "/*",
    "*/", "$$", "$a$", "0x1", "1", "-1.5e3", ".5", "1.", "1e", "name", "x", "loss", "run_id", "status",
    "start_time", "created", "run name", "DESC", "ASC", "NULLS LAST", "timestamp", "DATE", "::", ":=", "*",
    "%s", "?", ":a", "@x", "##y", "é", "end", "case", "select", "as", "DIV", "/", "+",
    "'a'", "('a', 'b')", "(1, 2)", "(r'x')", "(b'x')", "((", "))",
    # weighted towards well-formed pieces so that many inputs get past the first error
    "metrics.loss > 1", "params.p = 'a'", "tags.t != 'b'", " and ", " AND ", "attributes.status = 'FINISHED'",
    "run_id IN ('a')", "tags.x IS NULL", "datasets.name = 'd'", "`run name` = 'x'",
]
RANDOM_COUNT = int(os.environ.get("RANDOM_CASES", "400"))


def random_inputs(seed):
    import random
    rng = random.Random(seed)
    out = []
    while len(out) < RANDOM_COUNT:
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.randrange(6) == 0:
                parts.append(chr(rng.randint(0x20, 0x7E)))
            else:
                parts.append(rng.choice(FRAGMENTS))
        out.append("".join(parts))
    return out


def write_json(path):
    """A large differential sample for SearchFuzzTests (SEARCH_DIFF_FILE), too big for a Swift literal."""
    import json
    records = []
    for kind, inputs, fn in (("filter", random_inputs(1), SearchUtils.parse_search_filter),
                             ("order", random_inputs(2), SearchUtils.parse_order_by_for_search_runs)):
        for text in inputs:
            r = outcome(lambda: fn(text))
            if r[0] == "crash":
                continue
            records.append({"kind": kind, "input": text, "error": r[1] if r[0] == "error" else None,
                            "count": len(r[1]) if r[0] == "ok" and kind == "filter" else None})
    with open(path, "w") as fh:
        json.dump(records, fh)
    print(f"wrote {len(records)} records to {path}", file=sys.stderr)


def main():
    if os.environ.get("RANDOM_JSON"):
        return write_json(os.environ["RANDOM_JSON"])
    workdir = tempfile.mkdtemp()
    store = SqlAlchemyStore(f"sqlite:///{workdir}/cases.db", os.path.join(workdir, "art"))
    lines = [
        "// Generated by generate_cases.py from mlflow 3.17.2 (MLflow's own search functions and store).",
        "// Do not edit; rerun the generator. Python set orders in messages are rewritten to the order we print.",
        "import TrackingCore",
        "",
        "/// An expected outcome: the value, or the error message.",
        "enum Expected<T: Sendable>: Sendable {",
        "    case ok(T)",
        "    case error(String)",
        "}",
        "",
        "enum MLflowSearchCases {",
        "    /// `SearchUtils.parse_search_filter`: the clauses, or the error message.",
        "    static let runFilters: [(String, Expected<[SearchComparison]>)] = [",
    ]
    for f in RUN_FILTERS + random_inputs(1):
        r = outcome(lambda: SearchUtils.parse_search_filter(f))
        if r[0] == "ok":
            clauses = ", ".join(
                f"SearchComparison({ENTITY[c['type']]}, {swift_string(c['key'])}, {swift_string(c['comparator'])}, "
                f"{swift_value(c['type'], c['value'])})" for c in r[1])
            lines.append(f"        ({swift_string(f)}, .ok([{clauses}])),")
        elif r[0] == "error":
            lines.append(f"        ({swift_string(f)}, .error({swift_string(r[1])})),")
        elif f in RUN_FILTERS:
            lines.append(f"        // {swift_string(f)}: MLflow crashes ({r[1].splitlines()[0][:80]}); we answer 400.")
    lines += ["    ]", "", "    /// `parse_order_by_for_search_runs`: (entity, key, ascending), or the error message.",
              "    static let runOrders: [(String, Expected<SearchOrder>)] = ["]
    for o in RUN_ORDERS + random_inputs(2):
        r = outcome(lambda: SearchUtils.parse_order_by_for_search_runs(o))
        if r[0] == "ok":
            t, k, asc = r[1]
            lines.append(f"        ({swift_string(o)}, .ok(SearchOrder({ENTITY[t]}, {swift_string(k)}, ascending: {'true' if asc else 'false'}))),")
        elif r[0] == "error":
            lines.append(f"        ({swift_string(o)}, .error({swift_string(r[1])})),")
        elif o in RUN_ORDERS:
            lines.append(f"        // {swift_string(o)}: MLflow crashes ({r[1][:80]}); we answer 400.")
    lines += ["    ]", "",
              "    /// `SqlAlchemyStore.search_runs` (all checks in MLflow's order): nil when accepted, else (code, message).",
              "    static let runSearches: [(filter: String, orderBy: [String], pageToken: String?, error: (String, String)?)] = ["]
    for f, ob, tok in RUN_SEARCHES:
        r = outcome(lambda: store.search_runs(["0"], f, ViewType.ALL, 10, ob, tok))
        err = "nil" if r[0] == "ok" else f"({swift_string(r[2])}, {swift_string(r[1])})"
        obs = "[" + ", ".join(swift_string(x) for x in ob) + "]"
        lines.append(f"        ({swift_string(f)}, {obs}, {swift_string(tok) if tok is not None else 'nil'}, {err}),")
    lines += ["    ]", "",
              "    /// `SqlAlchemyStore.search_experiments`: nil when accepted, else (code, message).",
              "    static let experimentSearches: [(filter: String, orderBy: [String], maxResults: Int, pageToken: String?, error: (String, String)?)] = ["]
    for f, ob, mr, tok in EXPERIMENT_SEARCHES:
        r = outcome(lambda: store.search_experiments(view_type=ViewType.ALL, max_results=mr, filter_string=f, order_by=ob, page_token=tok))
        err = "nil" if r[0] == "ok" else f"({swift_string(r[2])}, {swift_string(r[1])})"
        obs = "[" + ", ".join(swift_string(x) for x in ob) + "]"
        lines.append(f"        ({swift_string(f)}, {obs}, {mr}, {swift_string(tok) if tok is not None else 'nil'}, {err}),")
    lines += ["    ]", "}", ""]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "MLflowSearchCases.swift")
    with open(out, "w") as fh:
        fh.write("\n".join(lines))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
