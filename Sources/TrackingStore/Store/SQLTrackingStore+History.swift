import TrackingCore

extension SQLTrackingStore {
    /// A metric's points in MLflow's order (timestamp, step, value), one page at a time.
    ///
    /// Pages continue after the last point sent (keyset paging on MLflow's metrics primary-key
    /// index) instead of skipping an offset, so each page costs the same however deep it is. The
    /// token still carries MLflow's `offset`, so a token from either server works on the other.
    package func getMetricHistory(runId: String, key: String, maxResults: Int, pageToken: String?) async throws -> MetricPage {
        let token = try HistoryPageToken(pageToken)
        return try await database.read { connection in
            // Histories differ by orders of magnitude from one run and key to the next: a generic plan
            // made for no value in particular (a bitmap scan and a sort of the whole history) would
            // be far slower than reading the page off the primary key.
            try await connection.planForBoundValues()
            var binds: [SQLValue] = [.text(runId), .text(key)]
            var filter = ""
            var offsetClause = ""
            if let last = token.last {
                filter = " AND (timestamp, step, value, is_nan) > (?, ?, ?, ?)"
                binds += [.int(last.timestamp), .int(last.step), .double(last.value), .bool(last.isNaN)]
            } else if token.offset > 0 {
                offsetClause = " OFFSET \(token.offset)"
            }
            binds.append(.int(Int64(min(maxResults, Int(Int32.max)) + 1)))
            var metrics: [Metric] = []
            var lastIsNaN = false
            func add(value: Double, timestamp: Int64, step: Int64, isNaN: Bool) {
                if metrics.count < maxResults { lastIsNaN = isNaN }
                metrics.append(Metric(key: key, value: isNaN ? .nan : value, timestamp: timestamp, step: step))
            }
            let page = """
                SELECT value, timestamp, step, is_nan FROM metrics
                WHERE run_uuid = ? AND key = ?\(filter) ORDER BY timestamp, step, value, is_nan LIMIT ?\(offsetClause)
                """
            try await connection.forEachRow(many: page, binds, columns: 4) { row in
                add(value: row.double(0) ?? 0, timestamp: row.int(1) ?? 0, step: row.int(2) ?? 0, isNaN: row.bool(3))
            }
            guard metrics.count > maxResults else { return MetricPage(metrics: metrics, nextPageToken: nil) }
            metrics.removeLast()
            let last = metrics[metrics.count - 1]
            let next = HistoryPageToken(
                offset: token.offset + maxResults,
                last: .init(timestamp: last.timestamp, step: last.step, value: lastIsNaN ? 0 : last.value, isNaN: lastIsNaN))
            return MetricPage(metrics: metrics, nextPageToken: next.encoded)
        }
    }

    /// MLflow 3.17's chart sampling: per run, the rows ordered by (step, timestamp, value, is_nan)
    /// are cut into `maxResults` NTILE buckets and the first row of each is kept; the last row is
    /// always kept, replacing the final sample when the page is full.
    ///
    /// The positions are found on the (run_uuid, key, step) index alone; only the rows of the steps
    /// that hold a sampled position are then read, so a long history costs one index scan.
    package func getMetricHistoryBulkInterval(
        runIds: [String], key: String, steps: ClosedRange<Int64>?, maxResults: Int
    ) async throws -> [RunMetric] {
        try await database.read { connection in
            try await connection.planForBoundValues()
            var result: [RunMetric] = []
            for runId in runIds {
                var binds: [SQLValue] = [.text(runId), .text(key)]
                var stepFilter = ""
                if let steps {
                    stepFilter = " AND step >= ? AND step <= ?"
                    binds += [.int(steps.lowerBound), .int(steps.upperBound)]
                }
                var allSteps: [Int64] = []
                let stepsQuery = "SELECT step FROM metrics WHERE run_uuid = ? AND key = ?\(stepFilter) ORDER BY step"
                try await connection.forEachRow(many: stepsQuery, binds, columns: 1) { row in allSteps.append(row.int(0) ?? 0) }
                let positions = Self.sampleIndices(count: allSteps.count, buckets: max(1, maxResults))
                guard !positions.isEmpty else { continue }
                // Each sampled position is the k-th row of its step, counting from the step's first position.
                var wanted: [Int64: [Int]] = [:]
                for position in positions {
                    let step = allSteps[position]
                    let first = Self.firstIndex(of: step, in: allSteps, before: position)
                    wanted[step, default: []].append(position - first)
                }
                let sampledSteps = wanted.keys.sorted()
                var byStep: [Int64: [SampledRow]] = [:]
                for chunk in sampledSteps.chunked(into: 500) {
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                    // Ordered by step alone so the planner keeps to the (run_uuid, key, step) index;
                    // the few rows sharing a step are ordered below.
                    try await connection.forEachRow(
                        """
                        SELECT value, timestamp, step, is_nan FROM metrics
                        WHERE run_uuid = ? AND key = ? AND step IN (\(placeholders)) ORDER BY step
                        """, [.text(runId), .text(key)] + chunk.map { .int($0) }
                    ) { row in
                        let sampled = SampledRow(value: row.double(0) ?? 0, timestamp: row.int(1) ?? 0, step: row.int(2) ?? 0, isNaN: row.bool(3))
                        byStep[sampled.step, default: []].append(sampled)
                    }
                }
                for step in byStep.keys { byStep[step]?.sort() }
                for position in positions {
                    let step = allSteps[position]
                    let rank = position - Self.firstIndex(of: step, in: allSteps, before: position)
                    if let rows = byStep[step], rank < rows.count {
                        let row = rows[rank]
                        result.append(
                            RunMetric(
                                runId: runId,
                                metric: Metric(key: key, value: row.isNaN ? .nan : row.value, timestamp: row.timestamp, step: row.step)))
                    }
                }
            }
            return result
        }
    }

    /// A stored point in the sampling order: (step, timestamp, value, is_nan), NaN stored as 0.
    private struct SampledRow: Comparable {
        var value: Double
        var timestamp: Int64
        var step: Int64
        var isNaN: Bool

        static func < (lhs: SampledRow, rhs: SampledRow) -> Bool {
            (lhs.step, lhs.timestamp, lhs.value, lhs.isNaN ? 1 : 0) < (rhs.step, rhs.timestamp, rhs.value, rhs.isNaN ? 1 : 0)
        }
    }

    /// The first index holding `step` in the sorted `steps`, searching back from `position`.
    private static func firstIndex(of step: Int64, in steps: [Int64], before position: Int) -> Int {
        var low = 0
        var high = position
        while low < high {
            let middle = (low + high) / 2
            if steps[middle] < step { low = middle + 1 } else { high = middle }
        }
        return low
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
            try await connection.planForBoundValues()
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
