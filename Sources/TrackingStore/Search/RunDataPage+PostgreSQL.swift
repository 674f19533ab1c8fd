import TrackingCore

/// PostgreSQL's reading of a page of runs' data: the latest metrics, params and tags of many runs
/// in one statement, one row per run with a column array per field, instead of a row per value
/// from three statements (each row costs a message to decode); datasets and model outputs are read
/// only for the runs that have some.
extension SQLTrackingStore {
    /// The runs of `infos` with their data, read in one statement.
    func loadAggregatedRuns(_ infos: [RunInfo], on connection: any SQLConnection) async throws -> [Run] {
        guard !infos.isEmpty else { return [] }
        var runs = infos.map { Run(info: $0) }
        let index = Self.positions(of: runs)
        var flagged = FlaggedRuns()
        try await connection.forEachRow(Self.aggregatedRunData, [.texts(infos.map(\.runId))]) { row in
            guard let n = index[row.string(0) ?? ""] else { return }
            flagged.note(runs[n].info.runId, Self.applyRunData(row, from: 1, to: &runs[n]))
        }
        try await loadFlaggedData(flagged, into: &runs, index: index, on: connection)
        Self.nameFromTags(&runs)
        return runs
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
        // The few runs with datasets, logged models or keys to read again: those read afterwards, in
        // a snapshot of their own.
        if !flagged.isEmpty {
            let items = result.items
            result.items = try await database.read { connection in
                var runs = items
                try await self.loadFlaggedData(flagged, into: &runs, index: Self.positions(of: runs), on: connection)
                return runs
            }
        }
        Self.nameFromTags(&result.items)
        return result
    }

    /// Runs whose aggregated row said they have dataset inputs or model outputs, or whose key lists
    /// did not split into one key per value.
    private struct FlaggedRuns: Sendable {
        var withInputs: [String] = []
        var withOutputs: [String] = []
        var toReread: [String] = []
        var isEmpty: Bool { withInputs.isEmpty && withOutputs.isEmpty && toReread.isEmpty }

        mutating func note(_ runId: String, _ flags: RunDataFlags) {
            if flags.inputs { withInputs.append(runId) }
            if flags.outputs { withOutputs.append(runId) }
            if flags.reread { toReread.append(runId) }
        }
    }

    /// What an aggregated row leaves to read: dataset inputs, model outputs, or the run's metrics,
    /// params and tags again.
    private typealias RunDataFlags = (inputs: Bool, outputs: Bool, reread: Bool)

    private func loadFlaggedData(
        _ flagged: FlaggedRuns, into runs: inout [Run], index: [String: Int], on connection: any SQLConnection
    ) async throws {
        for runId in flagged.toReread {
            guard let n = index[runId] else { continue }
            (runs[n].metrics, runs[n].params, runs[n].tags) = ([], [], [])
            try await Self.loadRunDataByRows(of: &runs[n], on: connection)
        }
        if !flagged.withInputs.isEmpty {
            let destinations = SQLDialect.postgres.inList("i.destination_id", flagged.withInputs.map(SQLValue.text))
            for (runId, list) in try await datasetInputs(where: destinations, on: connection) {
                if let n = index[runId] { runs[n].datasetInputs = list }
            }
        }
        for (runId, list) in try await modelOutputs(runIds: flagged.withOutputs, on: connection) {
            if let n = index[runId] { runs[n].modelOutputs = list }
        }
    }

    /// The columns of `runDataColumns` from `first` on, into `run`; whether it has dataset inputs
    /// and model outputs to read, and whether its data must be read again (see `runDataJoins`).
    private static func applyRunData(_ row: SQLRow, from first: Int, to run: inout Run) -> RunDataFlags {
        let values = row.doubles(first + 1) ?? [], timestamps = row.ints(first + 2) ?? [], steps = row.ints(first + 3) ?? []
        let keys = lines(row.string(first), expecting: values.count)
        let metricsFit = keys.count == values.count && keys.count == timestamps.count && keys.count == steps.count
        if metricsFit {
            run.metrics = keys.indices.map { i in
                Metric(key: keys[i], value: values[i], timestamp: timestamps[i], step: steps[i])
            }
        }
        let paramValues = row.texts(first + 5) ?? [], tagValues = row.texts(first + 7) ?? []
        let params = keyValues(lines(row.string(first + 4), expecting: paramValues.count), paramValues)
        let tags = keyValues(lines(row.string(first + 6), expecting: tagValues.count), tagValues)
        run.params = params ?? []
        run.tags = tags ?? []
        return (row.bool(first + 8), row.bool(first + 9), !metricsFit || params == nil || tags == nil)
    }

    /// The keys of a list joined by line breaks, split exactly (byte by byte); none for NULL.
    private static func lines(_ text: String?, expecting count: Int) -> [String] {
        guard var text else { return [] }
        return text.withUTF8 { bytes in
            var result: [String] = []
            result.reserveCapacity(count)
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 10 {
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                start = i + 1
            }
            result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return result
        }
    }

    /// Nil when the counts differ.
    private static func keyValues(_ keys: [String], _ values: [String]) -> [KeyValue]? {
        guard keys.count == values.count else { return nil }
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

    /// Aggregates without GROUP BY give one row per run, with NULLs where it has nothing. PostgreSQL
    /// aggregates every array element and sends it through its type's send function, so the arrays
    /// are few: a NaN metric (stored as `is_nan` beside a placeholder value, as MLflow writes it) is
    /// NaN in the value array (one array fewer per run), and each kind's keys come as one text
    /// joined by line breaks, which MLflow's key validation rejects (PostgreSQL appends each key to
    /// one string instead of sending an element). A key with a line break all the same, written
    /// around that validation, splits into more keys than there are values: that run is read again,
    /// a row per value.
    private static func runDataJoins(_ id: String) -> String {
        """
        CROSS JOIN LATERAL (SELECT string_agg(key, chr(10)) AS keys, array_agg(CASE WHEN is_nan THEN 'NaN'::float8 ELSE value END) AS vals,
            array_agg(timestamp) AS timestamps, array_agg(step) AS steps FROM latest_metrics WHERE run_uuid = \(id)) m
        CROSS JOIN LATERAL (SELECT string_agg(key, chr(10)) AS keys, array_agg(value) AS vals FROM params WHERE run_uuid = \(id)) p
        CROSS JOIN LATERAL (SELECT string_agg(key, chr(10)) AS keys, array_agg(value) AS vals FROM tags WHERE run_uuid = \(id)) t
        """
    }
}
