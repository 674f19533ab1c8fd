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
        try await StoreBackend.postgres.withDatabaseURI { uri in
            // One connection, so the statements counted are the ones the store prepared.
            let store = try await StoreBootstrap.open(uri: uri, defaultArtifactRoot: "file:///artifacts", poolSize: 1)
            do {
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
            } catch {
                await store.database.close()
                throw error
            }
            await store.database.close()
        }
    }
}
