import Foundation
import Testing
import TrackingCore
import TrackingStore

/// How PostgreSQL plans the store's prepared statements where a plan made for no value in
/// particular goes wrong.
@Suite("PostgreSQL plans")
struct PostgresPlanTests {
    /// Histories differ by orders of magnitude from one run and key to the next. PostgreSQL turns a
    /// prepared statement into a generic plan after five executions when its estimate looks cheaper,
    /// and for a history page that plan scanned and sorted the whole history: every page must be
    /// planned for its run and key (`pg_prepared_statements` counts the plans of each statement).
    @Test(.enabled(if: StoreBackend.available.contains(.postgres)))
    func historyPagesArePlannedForTheirValues() async throws {
        // One connection, so the statements counted are the ones the store prepared.
        try await StoreBackend.postgres.withStore(poolSize: 1) { store in
            let run = try await store.makeRun()
            let points = (0..<40).map { Metric(key: "loss", value: Double($0), timestamp: Int64($0), step: Int64($0)) }
            try await store.logBatch(runId: run.info.runId, metrics: points, params: [], tags: [])
            var read = 0
            for _ in 0..<3 {
                var token: String?
                repeat {
                    let page = try await store.getMetricHistory(runId: run.info.runId, key: "loss", maxResults: 5, pageToken: token)
                    read += page.metrics.count
                    token = page.nextPageToken
                } while token != nil
            }
            #expect(read == 120)
            let plans = try await store.database.read { connection in
                try await connection.query(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM metrics%is_nan) >%'", [])
            }
            #expect(!plans.isEmpty, "the page statement was prepared")
            for row in plans {
                #expect(row.int(0) == 0)
                #expect((row.int(1) ?? 0) > 5)
            }
        }
    }

    /// The UI's listing (a first page without filters) is the same plan every time: PostgreSQL must
    /// settle on one for it rather than plan every request, which it does only when no LIMIT or
    /// OFFSET parameter makes the plan for no value in particular look dearer.
    @Test(.enabled(if: StoreBackend.available.contains(.postgres)))
    func listingFirstPagesReuseOnePlan() async throws {
        try await StoreBackend.postgres.withStore(poolSize: 1) { store in
            let run = try await store.makeRun()
            // Enough runs that a plan for any LIMIT (a tenth of the rows) costs more than one for 51.
            let experiment = try #require(Int64(run.info.experimentId))
            try await store.database.write { connection in
                try await connection.execute(
                    """
                    INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,
                        start_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
                    SELECT md5(g::text), 'r' || g, 'LOCAL', '', '', 'u', 'FINISHED', 1000 + g, '', 'active', 'file:///a', ?
                    FROM generate_series(1, 2000) AS g
                    """, [.int(experiment)])
            }
            // The statistics autovacuum would gather on a real database.
            try await store.database.statement { connection in try await connection.executeScript("ANALYZE runs") }
            for _ in 0..<10 {
                let search = try RunSearch(
                    experimentIds: [run.info.experimentId], filter: "", orderBy: ["attributes.start_time DESC"],
                    viewType: .activeOnly, maxResults: 50, pageToken: nil)
                let page = try await store.searchRuns(search).items.map(\.info.runName)
                #expect(page == (1951...2000).reversed().map { "r\($0)" })
            }
            let plans = try await store.database.read { connection in
                try await connection.query(
                    "SELECT generic_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM runs r %ORDER BY r.start_time DESC%'", [])
            }
            #expect(plans.count == 1, "the page statement was prepared")
            #expect(plans.allSatisfy { ($0.int(0) ?? 0) > 0 })
        }
    }
}
