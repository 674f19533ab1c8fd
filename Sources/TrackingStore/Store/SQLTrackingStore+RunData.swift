import TrackingCore

extension SQLTrackingStore {
    /// Latest metrics, params, tags, dataset inputs and model outputs of many runs (a page of
    /// search results), in a few statements for the whole page rather than some per run.
    func loadRuns(_ infos: [RunInfo], on connection: any SQLConnection) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        var index: [String: Int] = [:]
        var runs = infos.enumerated().map { n, info in
            index[info.runId] = n
            return Run(info: info)
        }
        let ids = infos.map(\.runId)
        switch connection.dialect {
        case .postgres: try await loadAggregatedRunData(ids, into: &runs, index: index, on: connection)
        case .sqlite: try await loadRunDataByRows(ids, into: &runs, index: index, on: connection)
        }
        for n in runs.indices where runs[n].info.runName.isEmpty {
            // Runs written by old clients may carry their name only in the tag.
            runs[n].info.runName = runs[n].tags.first { $0.key == RunTags.runName }?.value ?? ""
        }
        return runs
    }

    /// SQLite: a statement per run and kind of data, prepared once: with the run known, a row
    /// carries no run id to read and look up, and no IN list is built per page (statements cost
    /// little in process).
    private func loadRunDataByRows(
        _ runIds: [String], into runs: inout [Run], index: [String: Int], on connection: any SQLConnection
    ) async throws {
        for n in runs.indices {
            let id: [SQLValue] = [.text(runs[n].info.runId)]
            // Runs of a page mostly log the same keys: room for as many as the previous run had.
            if n > 0 {
                runs[n].metrics.reserveCapacity(runs[n - 1].metrics.count)
                runs[n].params.reserveCapacity(runs[n - 1].params.count)
                runs[n].tags.reserveCapacity(runs[n - 1].tags.count)
            }
            try await connection.forEachRow(
                "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ?", id
            ) { row in runs[n].metrics.append(Self.metric(from: row)) }
            try await connection.forEachRow("SELECT key, value FROM params WHERE run_uuid = ?", id) { row in
                runs[n].params.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
            }
            try await connection.forEachRow("SELECT key, value FROM tags WHERE run_uuid = ?", id) { row in
                runs[n].tags.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
            }
        }
        let sql = SearchSQL(dialect: connection.dialect)
        for chunk in Self.chunks(runIds) {
            let destinations = sql.inList("i.destination_id", chunk.map(SQLValue.text))
            let inputs = try await datasetInputs(where: destinations, on: connection)
            for (runId, list) in inputs { if let n = index[runId] { runs[n].datasetInputs = list } }
            for (runId, list) in try await modelOutputs(runIds: chunk, on: connection) {
                if let n = index[runId] { runs[n].modelOutputs = list }
            }
        }
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
}
