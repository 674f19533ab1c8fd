import TrackingCore

/// The SQL of `runs/search` that both engines share (their own parts are in their plans'
/// files). Every user value is a bound value.
struct SearchSQL {
    let dialect: SQLDialect
    /// Whether filters that match at most one row per run become tables of the join (SQLite probes a
    /// joined table for a candidate run for less than an EXISTS subquery: no subprogram to enter
    /// per row, and before reading the run); PostgreSQL plans EXISTS as a join already.
    var joinsFilters = false

    /// `column <test>`: LIKE is case-sensitive on both databases (SQLite runs with
    /// `case_sensitive_like`).
    func text(_ column: String, _ test: TextTest) -> SQLFragment {
        switch test {
        case .equal(let v): SQLFragment("\(column) = ?", [.text(v)])
        case .notEqual(let v): SQLFragment("\(column) != ?", [.text(v)])
        case .like(let v): SQLFragment("\(column) LIKE ?", [.text(v)])
        case .ilike(let v): dialect.ilike(column, v)
        case .oneOf(let values): dialect.inList(column, values.map(SQLValue.text))
        case .noneOf(let values): dialect.inList(column, values.map(SQLValue.text)).negated
        case .isNull: SQLFragment("\(column) IS NULL")
        case .isNotNull: SQLFragment("\(column) IS NOT NULL")
        }
    }

    static func number(_ n: NumberLiteral) -> SQLValue {
        switch n {
        case .int(let i): .int(i)
        case .double(let d): .double(d)
        }
    }

    // MARK: runs

    /// The page query of `runs/search`: the run columns, ordered, `max_results + 1` rows from `offset`.
    func runs(_ search: RunSearch) -> SQLFragment {
        let order = orderTerms(search.orders[...])
        let (filterTables, conditions) = runConditions(search, joinedTo: joinsFilters ? "r.run_uuid" : nil)
        let sql = "SELECT " + Self.runColumns + " FROM runs r" + filterTables + " " + order.joins
            + " WHERE " + conditions.sql + " ORDER BY " + order.terms
        // The first page of a listing without filters (the UI's runs table) has its row count written
        // in: with no parameter that changes the plan's shape, PostgreSQL keeps one plan for it instead
        // of planning every request (a parameter LIMIT or OFFSET makes its plan for no value in
        // particular look dearer). An integer of ours, never user text.
        if search.offset == 0 && search.filters.isEmpty {
            return SQLFragment(sql + " LIMIT \(search.maxResults + 1)", order.binds + conditions.binds)
        }
        return SQLFragment(
            sql + " LIMIT ? OFFSET ?",
            order.binds + conditions.binds + [.int(Int64(search.maxResults + 1)), .int(Int64(search.offset))])
    }

    /// When the first key is a metric, MLflow's order is three segments: runs with a number (by
    /// value), runs whose latest value is NaN, runs without the metric. Querying them one after the
    /// other lets the database walk the metric's index in order and stop after a page, instead of
    /// sorting every run of the experiments. Each query takes at most `limit` rows (bound last).
    func runSegments(_ search: RunSearch) -> [SQLFragment]? {
        guard case .metric(let key)? = search.orders.first?.key else { return nil }
        let rest = orderTerms(search.orders.dropFirst())
        let (head, conditions) = metricSegmentHead(search, columns: Self.runColumns, joins: rest.joins)
        let direction = search.orders[0].ascending ? "ASC" : "DESC"
        let numbers = SQLFragment(
            head + dialect.falseLiteral + " AND " + conditions.sql + " ORDER BY s.value \(direction), " + rest.terms + " LIMIT ?",
            rest.binds + [.text(key)] + conditions.binds)
        let nans = SQLFragment(
            head + dialect.trueLiteral + " AND " + conditions.sql + " ORDER BY " + rest.terms + " LIMIT ?",
            rest.binds + [.text(key)] + conditions.binds)
        let missingConditions = runConditions(search, joinedTo: joinsFilters ? "r.run_uuid" : nil)
        let missing = SQLFragment(
            "SELECT " + Self.runColumns + " FROM runs r" + missingConditions.tables + " " + rest.joins
                + " WHERE NOT EXISTS (SELECT 1 FROM latest_metrics z WHERE z.run_uuid = r.run_uuid AND z.key = ?) AND "
                + missingConditions.where.sql + " ORDER BY " + rest.terms + " LIMIT ?",
            rest.binds + [.text(key)] + missingConditions.where.binds)
        return [numbers, nans, missing]
    }

    /// The runs with a value of the order metric `s`, with their run row and the filters, up to
    /// `s.is_nan = ` (the caller says which); bind the joins' values, the metric's key, then the
    /// conditions'. SQLite's CROSS JOIN keeps the metric table outermost, so its index gives the
    /// order, and probes the filters before the run (PostgreSQL's planner chooses the join order).
    func metricSegmentHead(_ search: RunSearch, columns: String, joins: String) -> (sql: String, conditions: SQLFragment) {
        let (filterTables, conditions) = runConditions(search, joinedTo: joinsFilters ? "s.run_uuid" : nil)
        return (
            "SELECT " + columns + " FROM latest_metrics s" + filterTables + " CROSS JOIN runs r " + joins
                + " WHERE r.run_uuid = s.run_uuid AND s.key = ? AND s.is_nan = ", conditions
        )
    }

    /// The joins and ORDER BY terms of some order keys, with MLflow's null placement.
    func orderTerms(_ orders: ArraySlice<RunSearch.Order>) -> (joins: String, terms: String, binds: [SQLValue]) {
        var joins: [String] = []
        var binds: [SQLValue] = []
        var terms: [String] = []
        for (n, order) in zip(orders.indices, orders) {
            let direction = order.ascending ? "ASC" : "DESC"
            switch order.key {
            case .column(let column):
                // Tie-breaks and NOT NULL columns need no null placement.
                if column != .startTime && column != .runId {
                    terms.append("CASE WHEN r.\(column.rawValue) IS NULL THEN 1 ELSE 0 END")
                }
                terms.append("r.\(column.rawValue) \(direction)")
            case .metric(let key):
                joins.append("LEFT JOIN latest_metrics o\(n) ON o\(n).run_uuid = r.run_uuid AND o\(n).key = ?")
                binds.append(.text(key))
                terms.append("CASE WHEN o\(n).is_nan = \(dialect.trueLiteral) THEN 1 WHEN o\(n).value IS NULL THEN 2 ELSE 0 END")
                terms.append("o\(n).value \(direction)")
            case .param(let key), .tag(let key):
                let table = if case .param = order.key { "params" } else { "tags" }
                joins.append("LEFT JOIN \(table) o\(n) ON o\(n).run_uuid = r.run_uuid AND o\(n).key = ?")
                binds.append(.text(key))
                terms.append("CASE WHEN o\(n).value IS NULL THEN 1 ELSE 0 END")
                terms.append("o\(n).value \(direction)")
            }
        }
        return (joins.joined(separator: " "), terms.joined(separator: ", "), binds)
    }

    /// Experiments, view type and the user's filters, ANDed. `candidate`: the run id column of a
    /// bounded slice of candidates; each filter's subquery is correlated to it and ends in `OFFSET 0`,
    /// which keeps PostgreSQL from turning it into a join, so it is probed for one candidate at a time
    /// (by primary key) as they come in order, before the candidate's run row is read, and the page
    /// stops the scan. Joined instead, every run with the filtered key was read and hashed first;
    /// probed after the run row, the statement cost more, as every candidate's run row was read
    /// (figures in docs/performance.md).
    /// `joinedTo`: filters that match at most one row per run become tables of the join on that run
    /// id (`tables`, CROSS JOINs in the order written, their conditions in `where`).
    func runConditions(
        _ search: RunSearch, candidate: String? = nil, joinedTo runId: String? = nil
    ) -> (tables: String, where: SQLFragment) {
        let probe = Probe(runId: candidate ?? "r.run_uuid", close: candidate == nil ? ")" : " OFFSET 0)")
        var tables = ""
        var joined = 0
        var conditions = [
            dialect.inList("r.experiment_id", search.experimentIds.map(SQLValue.int)),
            dialect.inList("r.lifecycle_stage", search.viewType.stages.map { .text($0.rawValue) }),
        ]
        for filter in search.filters {
            if let runId, joined < Self.joinedFilterLimit,
                let join = joinedFilter(filter, alias: "f\(joined)", runId: runId)
            {
                tables += " CROSS JOIN " + join.table
                conditions.append(join.condition)
                joined += 1
            } else {
                conditions.append(runFilter(filter, probe))
            }
        }
        return (tables, SQLFragment(conditions.map(\.sql).joined(separator: " AND "), conditions.flatMap(\.binds)))
    }

    /// Beyond this many, filters stay subqueries: SQLite joins at most 64 tables.
    private static let joinedFilterLimit = 32

    /// A filter as a join, where the table holds at most one matching row per run (metrics, params
    /// and tags are keyed by key and run), so the join neither repeats nor loses a run.
    private func joinedFilter(_ filter: RunSearch.Filter, alias: String, runId: String) -> (table: String, condition: SQLFragment)? {
        func joined(_ table: String, _ key: String, _ test: SQLFragment?) -> (table: String, condition: SQLFragment) {
            // The run's covering index: the probe reads no table row (the schema manager creates it at start).
            let index = MLflowSchema.sqliteRunDataIndexes.first { $0.table == table }.map { " INDEXED BY \($0.name)" } ?? ""
            let head = "\(alias).run_uuid = \(runId) AND \(alias).key = ?"
            return ("\(table) \(alias)\(index)", SQLFragment(head + (test.map { " AND " + $0.sql } ?? ""), [.text(key)] + (test?.binds ?? [])))
        }
        let keyed: (table: String, key: String, test: TextTest)
        switch filter {
        case .metric(let key, let op, let value): return joined("latest_metrics", key, metricTest(alias, op, value))
        case .param(let key, let test): keyed = ("params", key, test)
        case .tag(let key, let test): keyed = ("tags", key, test)
        case .runName(let test): keyed = ("tags", RunTags.runName, test)
        case .column, .time, .dataset: return nil
        }
        guard keyed.test != .isNull else { return nil }
        return joined(keyed.table, keyed.key, keyed.test == .isNotNull ? nil : text("\(alias).value", keyed.test))
    }

    /// A metric comparison; `!=` also matches NaN, the others only numbers (as MLflow compares).
    private func metricTest(_ alias: String, _ op: NumberComparator, _ value: Double) -> SQLFragment {
        op == .notEqual
            ? SQLFragment("(\(alias).value != ? OR \(alias).is_nan = \(dialect.trueLiteral))", [.double(value)])
            : SQLFragment("\(alias).value \(op.rawValue) ? AND \(alias).is_nan = \(dialect.falseLiteral)", [.double(value)])
    }

    static let runColumns =
        "r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage"

    /// One clause; clauses on metrics, params and tags are EXISTS subqueries on their primary keys,
    /// so a run without the key never matches (as with MLflow's inner joins).
    private func runFilter(_ filter: RunSearch.Filter, _ probe: Probe) -> SQLFragment {
        switch filter {
        case .metric(let key, let op, let value):
            let test = metricTest("m", op, value)
            return SQLFragment(
                "EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = \(probe.runId) AND m.key = ? AND " + test.sql
                    + probe.close,
                [.text(key)] + test.binds)
        case .param(let key, let test): return keyed("params", key, test, probe)
        case .tag(let key, let test): return keyed("tags", key, test, probe)
        case .runName(let test): return keyed("tags", RunTags.runName, test, probe)
        case .column(let column, let test): return text("r.\(column.rawValue)", test)
        case .time(let column, let op, let value):
            return SQLFragment("r.\(column.rawValue) \(op.rawValue) ?", [Self.number(value)])
        case .dataset(let field, let test):
            let value = text(field == .context ? "t.value" : "d.\(field.rawValue)", test)
            let context = field == .context
                ? " JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = 'mlflow.data.context'" : ""
            return SQLFragment(
                "EXISTS (SELECT 1 FROM datasets d JOIN inputs i ON i.source_id = d.dataset_uuid\(context)"
                    + " WHERE i.destination_id = \(probe.runId) AND \(value.sql)" + probe.close, value.binds)
        }
    }

    /// How a filter's subquery meets the run: the run id it is correlated to, and how it ends.
    private struct Probe {
        let runId: String
        let close: String
    }

    private func keyed(_ table: String, _ key: String, _ test: TextTest, _ probe: Probe) -> SQLFragment {
        let close = probe.close
        let exists = "EXISTS (SELECT 1 FROM \(table) x WHERE x.run_uuid = \(probe.runId) AND x.key = ?"
        switch test {
        case .isNull: return SQLFragment("NOT " + exists + close, [.text(key)])
        case .isNotNull: return SQLFragment(exists + close, [.text(key)])
        default:
            let value = text("x.value", test)
            return SQLFragment(exists + " AND " + value.sql + close, [.text(key)] + value.binds)
        }
    }
}
