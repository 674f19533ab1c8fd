import TrackingCore

extension SQLTrackingStore {
    package func logBatch(runId: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) async throws {
        if params.isEmpty, tags.isEmpty, !metrics.isEmpty, database.dialect == .postgres {
            return try await logMetricsInOneStatement(runId, metrics)
        }
        try await database.write { connection in
            try await activeRun(runId, on: connection)
            try await insertParams(runId, params, on: connection)
            try await insertMetrics(runId, metrics, on: connection)
            try await setRunTags(runId, tags, on: connection)
        }
    }

    package func logParam(runId: String, param: KeyValue) async throws {
        try await database.write { connection in
            try await activeRun(runId, on: connection)
            let existing = try await connection.query(
                "SELECT value FROM params WHERE run_uuid = ? AND key = ?", [.text(runId), .text(param.key)])
            if let old = existing.first?.string(0) {
                guard old == param.value else {
                    throw TrackingError.invalidParameter(
                        "Changing param values is not allowed. Param with key='\(param.key)' was already logged with "
                            + "value='\(old)' for run ID='\(runId)'. Attempted logging new value '\(param.value)'.")
                }
                return
            }
            try await connection.execute(
                "INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)",
                [.text(param.key), .text(param.value), .text(runId)])
        }
    }

    package func setTag(runId: String, tag: KeyValue) async throws {
        try await database.write { connection in
            try await activeRun(runId, on: connection)
            try await setRunTags(runId, [tag], on: connection)
        }
    }

    package func deleteTag(runId: String, key: String) async throws {
        try await database.write { connection in
            try await activeRun(runId, on: connection)
            let removed = try await connection.query(
                "DELETE FROM tags WHERE run_uuid = ? AND key = ? RETURNING key", [.text(runId), .text(key)])
            guard !removed.isEmpty else {
                throw TrackingError.notFound("No tag with name: \(key) in run with id \(runId)")
            }
        }
    }

    /// Tags, with `mlflow.runName` also renaming the run, as MLflow's `set_tag` does.
    private func setRunTags(_ runId: String, _ tags: [KeyValue], on connection: any SQLConnection) async throws {
        guard !tags.isEmpty else { return }
        try await upsertRunTags(runId, tags, on: connection)
        if let name = tags.last(where: { $0.key == RunTags.runName })?.value {
            try await connection.execute("UPDATE runs SET name = ? WHERE run_uuid = ?", [.text(name), .text(runId)])
        }
    }

    /// New params are added; a key logged before must keep its value, else the whole batch fails.
    private func insertParams(_ runId: String, _ params: [KeyValue], on connection: any SQLConnection) async throws {
        guard !params.isEmpty else { return }
        var existing: [String: String] = [:]
        for row in try await connection.query("SELECT key, value FROM params WHERE run_uuid = ?", [.text(runId)]) {
            existing[row.string(0) ?? ""] = row.string(1) ?? ""
        }
        var conflicts: [[(String, String)]] = []
        var fresh: [KeyValue] = []
        var seen: Set<String> = []
        for param in params {
            if let old = existing[param.key] {
                if old != param.value {
                    conflicts.append([("key", param.key), ("old_value", old), ("new_value", param.value)])
                }
            } else if seen.insert(param.key).inserted {
                fresh.append(param)
            }
        }
        guard conflicts.isEmpty else {
            throw TrackingError.invalidParameter(
                "Changing param values is not allowed. Params were already logged='\(PythonRepr.listOfDicts(conflicts))' "
                    + "for run ID='\(runId)'.")
        }
        for chunk in fresh.chunked(into: 300) {
            let placeholders = Array(repeating: "(?, ?, ?)", count: chunk.count).joined(separator: ", ")
            var binds: [SQLValue] = []
            binds.reserveCapacity(chunk.count * 3)
            for param in chunk {
                binds.append(.text(param.key))
                binds.append(.text(param.value))
                binds.append(.text(runId))
            }
            try await connection.execute("INSERT INTO params (key, value, run_uuid) VALUES \(placeholders)", binds)
        }
    }

    /// Inserts metric points, skipping exact duplicates as MLflow does, and moves `latest_metrics`
    /// forward where a point is newer by (step, timestamp, value).
    func insertMetrics(_ runId: String, _ metrics: [Metric], on connection: any SQLConnection) async throws {
        guard !metrics.isEmpty else { return }
        let rows = MetricRows(metrics)
        try await connection.insertMany(Self.metricPoints, shared: .text(runId), columns: MetricRows.columns(rows.points))
        try await connection.insertMany(Self.latestPoints, shared: .text(runId), columns: MetricRows.columns(rows.latest))
    }

    /// A run's metric points, each stored once (MLflow skips exact duplicates).
    private static let metricPoints = BulkInsert(
        into: "metrics", columns: MetricRows.pointColumns, shared: "run_uuid", conflict: "ON CONFLICT DO NOTHING")
    /// The newest point per key of a run, moving `latest_metrics` forward only.
    private static let latestPoints = BulkInsert(
        into: "latest_metrics", columns: MetricRows.pointColumns, shared: "run_uuid", conflict: latestUpdateClause)

    static let latestUpdateClause = """
        ON CONFLICT (key, run_uuid) DO UPDATE SET
            value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
        WHERE excluded.step > latest_metrics.step
            OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
            OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                AND excluded.value > latest_metrics.value)
        """
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
