import TrackingCore

extension SQLTrackingStore {
    /// Latest metrics, params, tags, dataset inputs and model outputs of many runs (a page of
    /// search results), in a few statements for the whole page rather than some per run.
    func loadRuns(_ infos: [RunInfo], on connection: any SQLConnection) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        var runs = infos.map { Run(info: $0) }
        let index = Self.positions(of: runs)
        let ids = infos.map(\.runId)
        switch connection.dialect {
        case .postgres: try await loadAggregatedRunData(ids, into: &runs, index: index, on: connection)
        case .sqlite: try await loadRunDataByRows(ids, into: &runs, index: index, on: connection)
        }
        Self.nameFromTags(&runs)
        return runs
    }

    /// Each run's place in `runs`, by run id.
    private static func positions(of runs: [Run]) -> [String: Int] {
        Dictionary(runs.enumerated().map { ($1.info.runId, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Runs written by old clients may carry their name only in the tag.
    private static func nameFromTags(_ runs: inout [Run]) {
        for n in runs.indices where runs[n].info.runName.isEmpty {
            runs[n].info.runName = runs[n].tags.first { $0.key == RunTags.runName }?.value ?? ""
        }
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
        var flagged = FlaggedRuns()
        try await connection.forEachRow(Self.aggregatedRunData, [.texts(ids)]) { row in
            guard let n = index[row.string(0) ?? ""] else { return }
            flagged.note(runs[n].info.runId, Self.applyRunData(row, from: 1, to: &runs[n]))
        }
        try await loadInputsAndOutputs(flagged, into: &runs, index: index, on: connection)
    }

    /// PostgreSQL, for orders that start with no metric: the page of runs and their data in one
    /// statement, outside a transaction (a statement sees one snapshot by itself), so a UI listing
    /// is one round trip instead of four (BEGIN, the page, its data, COMMIT).
    func searchRunsWithData(_ page: SQLFragment, limit: Int, offset: Int) async throws -> SearchPage<Run> {
        let sql = "SELECT " + SearchSQL.runColumns + ", " + Self.runDataColumns("r.run_uuid")
            + " FROM (SELECT p.*, row_number() OVER () AS page_position FROM (" + page.sql + ") AS p) AS r "
            + Self.runDataJoins("r.run_uuid") + " ORDER BY r.page_position"
        let (rows, flagged) = try await database.statement { connection in
            var runs: [Run] = []
            var flagged = FlaggedRuns()
            try await connection.forEachRow(sql, page.binds) { row in
                var run = Run(info: Self.runInfo(from: row))
                flagged.note(run.info.runId, Self.applyRunData(row, from: Self.runInfoColumnCount, to: &run))
                runs.append(run)
            }
            return (runs, flagged)
        }
        var result = SearchPage(rows: rows, limit: limit, offset: offset)
        // The few runs with datasets or logged models: those read afterwards, in a snapshot of their own.
        if !flagged.isEmpty {
            let items = result.items
            result.items = try await database.read { connection in
                var runs = items
                try await self.loadInputsAndOutputs(flagged, into: &runs, index: Self.positions(of: runs), on: connection)
                return runs
            }
        }
        Self.nameFromTags(&result.items)
        return result
    }

    /// Runs whose aggregated row said they have dataset inputs or model outputs.
    private struct FlaggedRuns: Sendable {
        var withInputs: [String] = []
        var withOutputs: [String] = []
        var isEmpty: Bool { withInputs.isEmpty && withOutputs.isEmpty }

        mutating func note(_ runId: String, _ flags: (inputs: Bool, outputs: Bool)) {
            if flags.inputs { withInputs.append(runId) }
            if flags.outputs { withOutputs.append(runId) }
        }
    }

    private func loadInputsAndOutputs(
        _ flagged: FlaggedRuns, into runs: inout [Run], index: [String: Int], on connection: any SQLConnection
    ) async throws {
        if !flagged.withInputs.isEmpty {
            let destinations = SearchSQL(dialect: connection.dialect)
                .inList("i.destination_id", flagged.withInputs.map(SQLValue.text))
            for (runId, list) in try await datasetInputs(where: destinations, on: connection) {
                if let n = index[runId] { runs[n].datasetInputs = list }
            }
        }
        for (runId, list) in try await modelOutputs(runIds: flagged.withOutputs, on: connection) {
            if let n = index[runId] { runs[n].modelOutputs = list }
        }
    }

    /// The columns of `runDataColumns` from `first` on, into `run`; whether it has dataset inputs
    /// and model outputs to read.
    private static func applyRunData(_ row: SQLRow, from first: Int, to run: inout Run) -> (inputs: Bool, outputs: Bool) {
        let keys = row.texts(first) ?? [], values = row.doubles(first + 1) ?? [], timestamps = row.ints(first + 2) ?? []
        let steps = row.ints(first + 3) ?? []
        if keys.count == values.count, keys.count == timestamps.count, keys.count == steps.count {
            run.metrics = keys.indices.map { i in
                Metric(key: keys[i], value: values[i], timestamp: timestamps[i], step: steps[i])
            }
        }
        run.params = keyValues(row.texts(first + 4), row.texts(first + 5))
        run.tags = keyValues(row.texts(first + 6), row.texts(first + 7))
        return (row.bool(first + 8), row.bool(first + 9))
    }

    private static func keyValues(_ keys: [String]?, _ values: [String]?) -> [KeyValue] {
        guard let keys, let values, keys.count == values.count else { return [] }
        return zip(keys, values).map { KeyValue(key: $0, value: $1) }
    }

    private static let runInfoColumnCount = SearchSQL.runColumns.split(separator: ",").count

    private static let aggregatedRunData =
        "SELECT r.id, " + runDataColumns("r.id") + " FROM unnest(?::text[]) AS r(id) " + runDataJoins("r.id")

    /// A run's latest metrics, params and tags as column arrays, and whether it has dataset inputs
    /// and model outputs, for the run id `id` of each row.
    private static func runDataColumns(_ id: String) -> String {
        """
        m.keys, m.vals, m.timestamps, m.steps, p.keys, p.vals, t.keys, t.vals,
            EXISTS (SELECT 1 FROM inputs i WHERE i.destination_type = 'RUN' AND i.destination_id = \(id)),
            EXISTS (SELECT 1 FROM inputs o WHERE o.source_type = 'RUN_OUTPUT' AND o.destination_type = 'MODEL_OUTPUT'
                AND o.source_id = \(id))
        """
    }

    /// Aggregates without GROUP BY give one row per run, with NULL arrays where it has nothing. A NaN
    /// metric (stored as `is_nan` beside a placeholder value, as MLflow writes it) is sent as NaN in the
    /// value array: one array fewer per run, each element of which PostgreSQL aggregates and sends
    /// through its type's send function (5% of its instructions for the UI's page of 50 runs).
    private static func runDataJoins(_ id: String) -> String {
        """
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(CASE WHEN is_nan THEN 'NaN'::float8 ELSE value END) AS vals,
            array_agg(timestamp) AS timestamps, array_agg(step) AS steps FROM latest_metrics WHERE run_uuid = \(id)) m
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM params WHERE run_uuid = \(id)) p
        CROSS JOIN LATERAL (SELECT array_agg(key) AS keys, array_agg(value) AS vals FROM tags WHERE run_uuid = \(id)) t
        """
    }
}
