import TrackingCore

/// SQLite's search: everything in one read transaction on a reader connection. Filters on a
/// metric, param or tag are tables of the join, probed on covering indexes by run (`INDEXED BY`)
/// before the run row; a metric order walks MLflow's three segments in order, the first off the
/// metric's index; a page's data is read a statement per run and kind (statements cost little in
/// process, and a row then carries no run id to look up).
struct SQLiteRunSearchPlan: RunSearchPlan {
    func searchRuns(_ search: RunSearch, in store: SQLTrackingStore) async throws -> SearchPage<Run> {
        let sql = SearchSQL(dialect: .sqlite, joinsFilters: true)
        let segments = sql.runSegments(search)
        let untied = sql.untiedMetricSegment(search)
        let query = segments == nil ? sql.runs(search) : nil
        return try await store.database.read { connection in
            let infos: [RunInfo]
            if let segments {
                infos = try await segmentedRuns(segments, search, on: connection) { needed in
                    guard let untied else { return nil }
                    return try await Self.untiedRows(untied, needed: needed, on: connection)
                }
            } else if let query {
                infos = try await connection.query(query.sql, query.binds).map(SQLTrackingStore.runInfo(from:))
            } else {
                infos = []
            }
            let page = SearchPage(rows: infos, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await Self.loadRuns(page.items, store: store, on: connection), nextPageToken: page.nextPageToken)
        }
    }

    /// The first `needed` runs of an untied metric segment in MLflow's order: in value order from
    /// the database; when the page ends at a value, the runs at that value come again from the
    /// first in MLflow's order (the page may have cut through them in another order); equal values
    /// by start time descending, then run id.
    private static func untiedRows(
        _ segment: (page: SQLFragment, tie: SQLFragment, ascending: Bool), needed: Int,
        on connection: any SQLConnection
    ) async throws -> [SQLRow] {
        // Columns of `SearchSQL.runColumns`, then the value.
        let (runId, startTime, value) = (0, 5, 9)
        var rows = try await connection.query(segment.page.sql, segment.page.binds + [.int(Int64(needed))])
        if rows.count == needed, let last = rows.last?.double(value) {
            rows.removeAll { $0.double(value) == last }
            rows += try await connection.query(segment.tie.sql, segment.tie.binds + [.double(last), .int(Int64(needed))])
        }
        rows.sort { a, b in
            let (x, y) = (a.double(value) ?? 0, b.double(value) ?? 0)
            if x != y { return segment.ascending ? x < y : x > y }
            let (s, t) = (a.int(startTime) ?? .min, b.int(startTime) ?? .min)
            if s != t { return s > t }
            return (a.string(runId) ?? "").utf8.lexicographicallyPrecedes((b.string(runId) ?? "").utf8)
        }
        return Array(rows.prefix(needed))
    }

    /// A page's latest metrics, params and tags a statement per run and kind, prepared once; its
    /// dataset inputs and model outputs for the whole page.
    private static func loadRuns(_ infos: [RunInfo], store: SQLTrackingStore, on connection: any SQLConnection) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        var runs = infos.map { Run(info: $0) }
        let index = SQLTrackingStore.positions(of: runs)
        for n in runs.indices {
            // Runs of a page mostly log the same keys: room for as many as the previous run had.
            if n > 0 {
                runs[n].metrics.reserveCapacity(runs[n - 1].metrics.count)
                runs[n].params.reserveCapacity(runs[n - 1].params.count)
                runs[n].tags.reserveCapacity(runs[n - 1].tags.count)
            }
            try await SQLTrackingStore.loadRunDataByRows(of: &runs[n], on: connection)
        }
        for chunk in SQLTrackingStore.chunks(infos.map(\.runId)) {
            let destinations = SQLDialect.sqlite.inList("i.destination_id", chunk.map(SQLValue.text))
            for (runId, list) in try await store.datasetInputs(where: destinations, on: connection) {
                if let n = index[runId] { runs[n].datasetInputs = list }
            }
            for (runId, list) in try await store.modelOutputs(runIds: chunk, on: connection) {
                if let n = index[runId] { runs[n].modelOutputs = list }
            }
        }
        SQLTrackingStore.nameFromTags(&runs)
        return runs
    }
}

extension SearchSQL {
    /// SQLite, for a metric order with no other key than MLflow's tie-breaks: the first segment in
    /// value order alone, which SQLite streams off the metric's index, with the value as a tenth
    /// column (`page`, the row count bound last), and the first runs at one value in MLflow's order
    /// (`tie`, the value and the row count bound last). Ordering equal values by start time and id in
    /// the page's query took SQLite a sorter fed with every row; the store orders them.
    func untiedMetricSegment(_ search: RunSearch) -> (page: SQLFragment, tie: SQLFragment, ascending: Bool)? {
        guard case .metric(let key)? = search.orders.first?.key,
            Array(search.orders.dropFirst()) == [
                RunSearch.Order(key: .column(.startTime), ascending: false),
                RunSearch.Order(key: .column(.runId), ascending: true),
            ]
        else { return nil }
        let ascending = search.orders[0].ascending
        let (start, conditions) = metricSegmentHead(search, columns: Self.runColumns + ", s.value", joins: "")
        let head = start + dialect.falseLiteral + " AND " + conditions.sql
        let binds = [SQLValue.text(key)] + conditions.binds
        return (
            SQLFragment(head + " ORDER BY s.value \(ascending ? "ASC" : "DESC") LIMIT ?", binds),
            SQLFragment(head + " AND s.value = ? ORDER BY r.start_time DESC, r.run_uuid ASC LIMIT ?", binds), ascending
        )
    }
}
