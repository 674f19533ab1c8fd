import TrackingCore

/// What both engines' plans share when they read a page of runs' data.
extension SQLTrackingStore {
    /// Each run's place in `runs`, by run id.
    static func positions(of runs: [Run]) -> [String: Int] {
        Dictionary(runs.enumerated().map { ($1.info.runId, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Runs written by old clients may carry their name only in the tag.
    static func nameFromTags(_ runs: inout [Run]) {
        for n in runs.indices where runs[n].info.runName.isEmpty {
            runs[n].info.runName = runs[n].tags.first { $0.key == RunTags.runName }?.value ?? ""
        }
    }

    /// One run's latest metrics, params and tags, a statement for each, appended to `run`'s.
    static func loadRunDataByRows(of run: inout Run, on connection: any SQLConnection) async throws {
        let id: [SQLValue] = [.text(run.info.runId)]
        try await connection.forEachRow(
            "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ?", id
        ) { row in run.metrics.append(metric(from: row)) }
        try await connection.forEachRow("SELECT key, value FROM params WHERE run_uuid = ?", id) { row in
            run.params.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
        }
        try await connection.forEachRow("SELECT key, value FROM tags WHERE run_uuid = ?", id) { row in
            run.tags.append(KeyValue(key: row.string(0) ?? "", value: row.string(1) ?? ""))
        }
    }
}
