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
        switch connection.dialect {
        case .postgres:
            // One statement with five array parameters: PostgreSQL parses and binds it far faster
            // than thousands of VALUES parameters.
            try await connection.execute(Self.insertPointsSkippingExisting, [.text(runId)] + MetricRows.columns(rows.points))
            try await connection.execute(Self.upsertLatestPoints, [.text(runId)] + MetricRows.columns(rows.latest))
        case .sqlite:
            for chunk in rows.points.chunked(into: 250) {
                let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                try await connection.execute(
                    "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES \(placeholders) ON CONFLICT DO NOTHING",
                    Self.rowBinds(chunk, runId))
            }
            for chunk in rows.latest.chunked(into: 250) {
                let placeholders = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                try await connection.execute(
                    "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES \(placeholders)\n"
                        + Self.latestUpdateClause,
                    Self.rowBinds(chunk, runId))
            }
        }
    }

    /// Metric points only, on PostgreSQL: the activity check, the points and `latest_metrics` in one
    /// statement, which is atomic by itself, so no BEGIN/COMMIT round trips. Nothing is written
    /// unless the run is active; then the run is looked up again for MLflow's error.
    ///
    /// Like MLflow, the points are first inserted plainly (ON CONFLICT's per-row check costs
    /// PostgreSQL a tenth of the work); only when a point already exists does the statement run
    /// again skipping existing points.
    func logMetricsInOneStatement(_ runId: String, _ metrics: [Metric]) async throws {
        let rows = MetricRows(metrics, distinct: true)
        let binds = [.text(runId)] + MetricRows.columns(rows.points) + MetricRows.columns(rows.latest)
        // Outside a transaction a failed statement leaves the connection usable for the second one.
        let written = try await database.statement { connection in
            do {
                return try await connection.query(Self.logMetricsStatement(skippingExisting: false), binds).first?.int(0) ?? 0
            } catch let error as DatabaseError where error.kind == .constraint {
                return try await connection.query(Self.logMetricsStatement(skippingExisting: true), binds).first?.int(0) ?? 0
            }
        }
        if written == 0 {
            _ = try await database.read { connection in try await activeRun(runId, on: connection) }
            // Active after all (restored meanwhile): write it the ordinary way.
            try await database.write { connection in
                try await activeRun(runId, on: connection)
                try await insertMetrics(runId, metrics, on: connection)
            }
        }
    }

    private static func rowBinds(_ points: ArraySlice<MetricRows.Point>, _ runId: String) -> [SQLValue] {
        var binds: [SQLValue] = []
        binds.reserveCapacity(points.count * 6)
        for point in points {
            binds += [.text(point.key), .double(point.value), .int(point.timestamp), .int(point.step), .bool(point.isNaN), .text(runId)]
        }
        return binds
    }

    private static let latestUpdateClause = """
        ON CONFLICT (key, run_uuid) DO UPDATE SET
            value = excluded.value, timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
        WHERE excluded.step > latest_metrics.step
            OR (excluded.step = latest_metrics.step AND excluded.timestamp > latest_metrics.timestamp)
            OR (excluded.step = latest_metrics.step AND excluded.timestamp = latest_metrics.timestamp
                AND excluded.value > latest_metrics.value)
        """

    /// Rows from five array parameters, one per column, on PostgreSQL.
    private static let unnestedPoints =
        "unnest(?::text[], ?::float8[], ?::int8[], ?::int8[], ?::bool[]) AS p(key, value, timestamp, step, is_nan)"

    private static let insertPointsSkippingExisting =
        insertPoints(into: "metrics", run: "?", from: unnestedPoints) + "\nON CONFLICT DO NOTHING"
    private static let upsertLatestPoints =
        insertPoints(into: "latest_metrics", run: "?", from: unnestedPoints) + "\n" + latestUpdateClause

    /// `INSERT INTO metrics|latest_metrics ... SELECT` the points of `from`, for the run named by `run`.
    private static func insertPoints(into table: String, run: String, from source: String) -> String {
        """
        INSERT INTO \(table) (key, value, timestamp, step, is_nan, run_uuid)
        SELECT p.key, p.value, p.timestamp, p.step, p.is_nan, \(run) FROM \(source)
        """
    }

    private static func logMetricsStatement(skippingExisting: Bool) -> String {
        skippingExisting ? logMetricsSkippingExisting : logMetricsPlain
    }

    private static let logMetricsPlain = logMetricsStatement(conflict: "")
    private static let logMetricsSkippingExisting = logMetricsStatement(conflict: "ON CONFLICT DO NOTHING")

    private static func logMetricsStatement(conflict: String) -> String {
        let points = unnestedPoints + ", active a"
        return """
            WITH active AS (SELECT run_uuid FROM runs WHERE run_uuid = ? AND lifecycle_stage = 'active'),
            points AS (
            \(insertPoints(into: "metrics", run: "a.run_uuid", from: points)) \(conflict)
            ),
            latest AS (
            \(insertPoints(into: "latest_metrics", run: "a.run_uuid", from: points))
            \(latestUpdateClause)
            )
            SELECT count(*) FROM active
            """
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
