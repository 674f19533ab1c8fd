import TrackingCore

/// PostgreSQL's plan for a batch of metric points alone (the `log-metric` path): one statement, no
/// transaction.
extension SQLTrackingStore {
    /// Metric points only, on PostgreSQL: the activity check, the points and `latest_metrics` in one
    /// statement, which is atomic by itself, so no BEGIN/COMMIT round trips. Nothing is written
    /// unless the run is active; then the run is looked up again for MLflow's error.
    ///
    /// Like MLflow, the points are first inserted plainly (ON CONFLICT's per-row check costs
    /// PostgreSQL work on every row); only when a point already exists does the statement run
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

    /// Rows from five array parameters, one per column, on PostgreSQL.
    private static let unnestedPoints =
        "unnest(?::text[], ?::float8[], ?::int8[], ?::int8[], ?::bool[]) AS p(key, value, timestamp, step, is_nan)"

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
