import TrackingCore

/// PostgreSQL's search. An order that starts with no metric (the UI's runs table) is one statement
/// with the page and its data aggregated per run, outside a transaction (a statement sees one
/// snapshot by itself): one round trip instead of four. A metric order walks MLflow's three
/// segments in one read transaction, the first from bounded slices of the metric's index
/// (`boundedMetricSegment`), then reads the page's data in one statement (`RunDataPage+PostgreSQL.swift`).
struct PostgresRunSearchPlan: RunSearchPlan {
    func searchRuns(_ search: RunSearch, in store: SQLTrackingStore) async throws -> SearchPage<Run> {
        let sql = SearchSQL(dialect: .postgres)
        guard let segments = sql.runSegments(search) else {
            return try await store.searchRunsWithData(sql.runs(search), limit: search.maxResults, offset: search.offset)
        }
        let bounded = sql.boundedMetricSegment(search)
        return try await store.database.read { connection in
            let infos = try await segmentedRuns(segments, search, on: connection) { needed in
                guard let bounded else { return nil }
                return try await Self.boundedRows(bounded, needed: needed, on: connection)
            }
            let page = SearchPage(rows: infos, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await store.loadAggregatedRuns(page.items, on: connection), nextPageToken: page.nextPageToken)
        }
    }

    /// The first `needed` runs with a value of the order metric, from ever larger slices of the
    /// metric's index (8 values per run wanted, so a filter keeping one run in 8 needs one slice;
    /// then 4 times more, each slice taking only the runs after the previous one's, so no run is
    /// probed twice); nil once a slice would hold every value, where the plain segment query is as
    /// good.
    private static func boundedRows(
        _ bounded: BoundedMetricSegment, needed: Int,
        on connection: any SQLConnection
    ) async throws -> [SQLRow]? {
        var k = Int64(max(needed * 8, 800))
        var rows: [SQLRow] = []
        var previous: Double?
        while true {
            let threshold = try await connection.query(bounded.threshold.sql, bounded.threshold.binds + [.int(k - 1)])
            guard let value = threshold.first?.double(0) else { return nil }
            let query = bounded.query(k: k, value: value, from: previous, limit: Int64(needed - rows.count))
            rows += try await connection.query(query.sql, query.binds)
            if rows.count >= needed { return rows }
            previous = value
            k *= 4
        }
    }
}

/// The first segment of a metric order as a slice of the metric's index (see
/// `SearchSQL.boundedMetricSegment`).
struct BoundedMetricSegment: Sendable {
    /// The `k`-th value in order; bind the offset `k - 1` last.
    let threshold: SQLFragment
    let sql: String
    /// `sql` for a slice after another: only values from the previous slice's last one on.
    let continuedSQL: String
    let key: String
    /// The values of the other order keys' joins, which stand before the value comparisons.
    let joinBinds: [SQLValue]
    /// The values of the filters, after the value comparisons.
    let conditionBinds: [SQLValue]

    /// The runs among the `k` first values that are strictly before `value` and, after a previous
    /// slice, not before its last value `from` (whose runs that slice left out), at most `limit`.
    func query(k: Int64, value: Double, from: Double?, limit: Int64) -> SQLFragment {
        let values: [SQLValue] = from.map { [.double(value), .double($0)] } ?? [.double(value)]
        return SQLFragment(
            from == nil ? sql : continuedSQL,
            [.text(key), .int(k)] + joinBinds + values + conditionBinds + [.int(limit)])
    }
}

extension SearchSQL {
    /// PostgreSQL's plan for the first segment: its planner underestimates how many runs pass the
    /// filters and joins every run before sorting. Instead, the store takes the metric's `k` best
    /// values from its index (a subquery with LIMIT, which the planner keeps apart), and keeps the
    /// matching runs whose value is strictly better than the `k`-th: those are complete and in order,
    /// whatever lies beyond. The filters are checked per candidate, in value order, until the page is
    /// full (see `runConditions`). A larger slice after a short one keeps only values from the
    /// previous `k`-th on (the runs at that value were left out), and PostgreSQL compares the value
    /// before it runs the filters' subqueries, so no candidate is probed twice.
    func boundedMetricSegment(_ search: RunSearch) -> BoundedMetricSegment? {
        guard case .metric(let key)? = search.orders.first?.key else { return nil }
        let ascending = search.orders[0].ascending
        let direction = ascending ? "ASC" : "DESC"
        let rest = orderTerms(search.orders.dropFirst())
        let conditions = runConditions(search, candidate: "s.run_uuid").where
        let threshold = SQLFragment(
            "SELECT value FROM latest_metrics WHERE key = ? AND is_nan = false ORDER BY value \(direction) OFFSET ? LIMIT 1",
            [.text(key)])
        func slice(from: Bool) -> String {
            "SELECT " + Self.runColumns
                + " FROM (SELECT run_uuid, value FROM latest_metrics WHERE key = ? AND is_nan = false ORDER BY value \(direction) LIMIT ?) s"
                + " JOIN runs r ON r.run_uuid = s.run_uuid " + rest.joins
                + " WHERE s.value \(ascending ? "<" : ">") ?" + (from ? " AND s.value \(ascending ? ">=" : "<=") ?" : "")
                + " AND " + conditions.sql + " ORDER BY s.value \(direction), " + rest.terms + " LIMIT ?"
        }
        return BoundedMetricSegment(
            threshold: threshold, sql: slice(from: false), continuedSQL: slice(from: true), key: key,
            joinBinds: rest.binds, conditionBinds: conditions.binds)
    }
}
