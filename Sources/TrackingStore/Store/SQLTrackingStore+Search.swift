import TrackingCore

extension SQLTrackingStore {
    /// `runs/search`: one query for the page of runs, then one query per kind of run data for the
    /// whole page (not per run), so a page costs the same handful of statements at any size.
    package func searchRuns(_ search: RunSearch) async throws -> SearchPage<Run> {
        guard !search.experimentIds.isEmpty else { return SearchPage(items: [], nextPageToken: nil) }
        let sql = SearchSQL(dialect: database.dialect)
        let query = sql.runs(search)
        let segments = sql.runSegments(search)
        if segments == nil, database.dialect == .postgres {
            return try await searchRunsWithData(query, limit: search.maxResults, offset: search.offset)
        }
        let bounded = sql.boundedMetricSegment(search)
        let untied = sql.untiedMetricSegment(search)
        return try await database.read { connection in
            var infos: [RunInfo] = []
            if let segments {
                let needed = search.offset + search.maxResults + 1
                for (n, segment) in segments.enumerated() where infos.count < needed {
                    if n == 0, let bounded, let rows = try await Self.boundedRows(bounded, needed: needed, on: connection) {
                        infos += rows.map(Self.runInfo(from:))
                        continue
                    }
                    if n == 0, let untied {
                        infos += try await Self.untiedRows(untied, needed: needed, on: connection).map(Self.runInfo(from:))
                        continue
                    }
                    infos += try await connection.query(segment.sql, segment.binds + [.int(Int64(needed - infos.count))])
                        .map(Self.runInfo(from:))
                }
                infos.removeFirst(min(search.offset, infos.count))
            } else {
                infos = try await connection.query(query.sql, query.binds).map(Self.runInfo(from:))
            }
            let page = SearchPage(rows: infos, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await loadRuns(page.items, on: connection), nextPageToken: page.nextPageToken)
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

    /// `experiments/search`.
    package func searchExperiments(_ search: ExperimentSearch) async throws -> SearchPage<Experiment> {
        let sql = SearchSQL(dialect: database.dialect)
        let columns = Self.experimentColumns.split(separator: ", ").map { "e.\($0)" }.joined(separator: ", ")
        let query = sql.experiments(search, columns: columns)
        return try await database.read { connection in
            let rows = try await connection.query(query.sql, query.binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            var tags: [Int64: [KeyValue]] = [:]
            for chunk in Self.chunks(page.items.compactMap { $0.int(0) }) {
                let list = sql.inList("experiment_id", chunk.map(SQLValue.int))
                for row in try await connection.query("SELECT experiment_id, key, value FROM experiment_tags WHERE \(list.sql)", list.binds) {
                    tags[row.int(0) ?? 0, default: []].append(KeyValue(key: row.string(1) ?? "", value: row.string(2) ?? ""))
                }
            }
            let experiments = page.items.map { Self.experiment(from: $0, tags: tags[$0.int(0) ?? 0] ?? []) }
            return SearchPage(items: experiments, nextPageToken: page.nextPageToken)
        }
    }

    /// Bounded IN lists: SQLite caps the number of parameters of a statement.
    static func chunks<T>(_ items: [T], size: Int = 500) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
