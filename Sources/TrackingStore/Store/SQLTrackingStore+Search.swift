import TrackingCore

extension SQLTrackingStore {
    /// `runs/search`: one query for the page of runs, then one query per kind of run data for the
    /// whole page (not per run), so a page costs the same handful of statements at any size.
    package func searchRuns(_ search: RunSearch) async throws -> SearchPage<Run> {
        guard !search.experimentIds.isEmpty else { return SearchPage(items: [], nextPageToken: nil) }
        let sql = SearchSQL(dialect: database.dialect)
        let query = sql.runs(search)
        let segments = sql.runSegments(search)
        let bounded = sql.boundedMetricSegment(search)
        return try await database.read { connection in
            var infos: [RunInfo] = []
            if let segments {
                let needed = search.offset + search.maxResults + 1
                for (n, segment) in segments.enumerated() where infos.count < needed {
                    if n == 0, let bounded, let rows = try await Self.boundedRows(bounded, needed: needed, on: connection) {
                        infos += rows.map(Self.runInfo(from:))
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
    /// then 4 times more); nil once a slice would hold every value, where the plain segment query
    /// is as good.
    private static func boundedRows(
        _ bounded: BoundedMetricSegment, needed: Int,
        on connection: any SQLConnection
    ) async throws -> [SQLRow]? {
        var k = Int64(max(needed * 8, 800))
        while true {
            let threshold = try await connection.query(bounded.threshold.sql, bounded.threshold.binds + [.int(k - 1)])
            guard let value = threshold.first?.double(0) else { return nil }
            let query = bounded.query(k: k, value: value, limit: Int64(needed))
            let rows = try await connection.query(query.sql, query.binds)
            if rows.count >= needed { return rows }
            k *= 4
        }
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

    /// Latest metrics, params, tags and dataset inputs of many runs, in a few batched queries.
    func loadRuns(_ infos: [RunInfo], on connection: any SQLConnection) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        let sql = SearchSQL(dialect: connection.dialect)
        var index: [String: Int] = [:]
        var runs = infos.enumerated().map { n, info in
            index[info.runId] = n
            return Run(info: info)
        }
        if connection.dialect == .postgres {
            try await loadAggregatedRunData(infos.map(\.runId), into: &runs, index: index, on: connection)
        }
        for chunk in Self.chunks(infos.map(\.runId)) where connection.dialect != .postgres {
            let ids = sql.inList("run_uuid", chunk.map(SQLValue.text))
            try await connection.forEachRow(
                "SELECT key, value, timestamp, step, is_nan, run_uuid FROM latest_metrics WHERE \(ids.sql)", ids.binds
            ) { row in
                if let n = index[row.string(5) ?? ""] { runs[n].metrics.append(Self.metric(from: row)) }
            }
            try await connection.forEachRow("SELECT key, value, run_uuid FROM params WHERE \(ids.sql)", ids.binds) { row in
                if let n = index[row.string(2) ?? ""] {
                    runs[n].params.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
                }
            }
            try await connection.forEachRow("SELECT key, value, run_uuid FROM tags WHERE \(ids.sql)", ids.binds) { row in
                if let n = index[row.string(2) ?? ""] {
                    runs[n].tags.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
                }
            }
            let destinations = sql.inList("i.destination_id", chunk.map(SQLValue.text))
            let inputs = try await datasetInputs(where: destinations, on: connection)
            for (runId, list) in inputs { if let n = index[runId] { runs[n].datasetInputs = list } }
            for (runId, list) in try await modelOutputs(runIds: chunk, on: connection) {
                if let n = index[runId] { runs[n].modelOutputs = list }
            }
        }
        for n in runs.indices where runs[n].info.runName.isEmpty {
            // Runs written by old clients may carry their name only in the tag.
            runs[n].info.runName = runs[n].tags.first { $0.key == RunTags.runName }?.value ?? ""
        }
        return runs
    }

    /// PostgreSQL: the latest metrics, params and tags of many runs in one statement, one row per
    /// run with a column array per field, instead of a row per value from three statements (each
    /// row costs a message to decode); datasets and model outputs are read only for the runs that
    /// have some.
    private func loadAggregatedRunData(
        _ ids: [String], into runs: inout [Run], index: [String: Int], on connection: any SQLConnection
    ) async throws {
        var withInputs: [String] = []
        var withOutputs: [String] = []
        try await connection.forEachRow(Self.aggregatedRunData, [.texts(ids)]) { row in
            guard let n = index[row.string(0) ?? ""] else { return }
            let keys = row.texts(1) ?? [], values = row.doubles(2) ?? [], timestamps = row.ints(3) ?? []
            let steps = row.ints(4) ?? [], nans = row.bools(5) ?? []
            if keys.count == values.count, keys.count == timestamps.count, keys.count == steps.count, keys.count == nans.count {
                runs[n].metrics = keys.indices.map { i in
                    Metric(key: keys[i], value: nans[i] ? .nan : values[i], timestamp: timestamps[i], step: steps[i])
                }
            }
            runs[n].params = Self.keyValues(row.texts(6), row.texts(7))
            runs[n].tags = Self.keyValues(row.texts(8), row.texts(9))
            if row.bool(10) { withInputs.append(runs[n].info.runId) }
            if row.bool(11) { withOutputs.append(runs[n].info.runId) }
        }
        if !withInputs.isEmpty {
            let destinations = SearchSQL(dialect: connection.dialect).inList("i.destination_id", withInputs.map(SQLValue.text))
            for (runId, list) in try await datasetInputs(where: destinations, on: connection) {
                if let n = index[runId] { runs[n].datasetInputs = list }
            }
        }
        for (runId, list) in try await modelOutputs(runIds: withOutputs, on: connection) {
            if let n = index[runId] { runs[n].modelOutputs = list }
        }
    }

    private static func keyValues(_ keys: [String]?, _ values: [String]?) -> [KeyValue] {
        guard let keys, let values, keys.count == values.count else { return [] }
        return zip(keys, values).map { KeyValue(key: $0, value: $1) }
    }

    /// Aggregates without GROUP BY give one row per run, with NULL arrays where it has nothing.
    private static let aggregatedRunData = """
        SELECT r.id, m.keys, m.vals, m.timestamps, m.steps, m.nans, p.keys, p.vals, t.keys, t.vals,
            EXISTS (SELECT 1 FROM inputs i WHERE i.destination_type = 'RUN' AND i.destination_id = r.id),
            EXISTS (SELECT 1 FROM inputs o WHERE o.source_type = 'RUN_OUTPUT' AND o.destination_type = 'MODEL_OUTPUT'
                AND o.source_id = r.id)
        FROM unnest(?::text[]) AS r(id)
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(value) AS vals, array_agg(timestamp) AS timestamps,
            array_agg(step) AS steps, array_agg(is_nan) AS nans FROM latest_metrics WHERE run_uuid = r.id) m
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM params WHERE run_uuid = r.id) p
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM tags WHERE run_uuid = r.id) t
        """

    /// Bounded IN lists: SQLite caps the number of parameters of a statement.
    static func chunks<T>(_ items: [T], size: Int = 500) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
