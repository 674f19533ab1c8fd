import TrackingCore

extension SQLTrackingStore {
    /// A metric's points in MLflow's order (timestamp, step, value), one page at a time.
    package func getMetricHistory(runId: String, key: String, maxResults: Int, pageToken: String?) async throws -> MetricPage {
        let offset = try PageToken.offset(from: pageToken)
        return try await database.read { connection in
            let rows = try await connection.query(
                """
                SELECT key, value, timestamp, step, is_nan FROM metrics
                WHERE run_uuid = ? AND key = ? ORDER BY timestamp, step, value LIMIT ? OFFSET ?
                """,
                [.text(runId), .text(key), .int(Int64(maxResults) + 1), .int(Int64(offset))])
            var metrics = rows.map(Self.metric(from:))
            var next: String?
            if metrics.count > maxResults {
                metrics.removeLast()
                next = PageToken.make(offset: offset + maxResults)
            }
            return MetricPage(metrics: metrics, nextPageToken: next)
        }
    }

    /// MLflow 3.17's chart sampling: per run, the rows ordered by (step, timestamp, value, is_nan)
    /// are cut into `maxResults` NTILE buckets and the first row of each is kept; the last row is
    /// always kept, replacing the final sample when the page is full.
    package func getMetricHistoryBulkInterval(
        runIds: [String], key: String, steps: ClosedRange<Int64>?, maxResults: Int
    ) async throws -> [RunMetric] {
        try await database.read { connection in
            var result: [RunMetric] = []
            for runId in runIds {
                var binds: [SQLValue] = [.text(runId), .text(key)]
                var stepFilter = ""
                if let steps {
                    stepFilter = " AND step >= ? AND step <= ?"
                    binds += [.int(steps.lowerBound), .int(steps.upperBound)]
                }
                let rows = try await connection.query(
                    """
                    SELECT key, value, timestamp, step, is_nan FROM metrics
                    WHERE run_uuid = ? AND key = ?\(stepFilter) ORDER BY step, timestamp, value, is_nan
                    """, binds)
                for index in Self.sampleIndices(count: rows.count, buckets: max(1, maxResults)) {
                    result.append(RunMetric(runId: runId, metric: Self.metric(from: rows[index])))
                }
            }
            return result
        }
    }

    /// Positions that NTILE(buckets) starts a bucket at, plus the last position.
    package static func sampleIndices(count: Int, buckets: Int) -> [Int] {
        guard count > 0 else { return [] }
        var indices: [Int] = []
        let size = count / buckets
        let larger = count % buckets  // NTILE gives the first `larger` buckets one row more
        var start = 0
        for bucket in 0..<min(buckets, count) {
            indices.append(start)
            start += size + (bucket < larger ? 1 : 0)
        }
        if indices.last != count - 1 {
            if indices.count >= buckets {
                indices[indices.count - 1] = count - 1
            } else {
                indices.append(count - 1)
            }
        }
        return indices
    }

    /// The UI's bulk history: runs in id order, each by (timestamp, step, value), at most `maxResults` in all.
    package func getMetricHistoryBulk(runIds: [String], key: String, maxResults: Int) async throws -> [RunMetric] {
        try await database.read { connection in
            let placeholders = Array(repeating: "?", count: runIds.count).joined(separator: ", ")
            let rows = try await connection.query(
                """
                SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics
                WHERE key = ? AND run_uuid IN (\(placeholders))
                ORDER BY run_uuid, timestamp, step, value LIMIT ?
                """,
                [.text(key)] + runIds.map { .text($0) } + [.int(Int64(maxResults))])
            return rows.map { RunMetric(runId: $0.string(5) ?? "", metric: Self.metric(from: $0)) }
        }
    }
}
