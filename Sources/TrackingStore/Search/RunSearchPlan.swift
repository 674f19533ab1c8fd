import TrackingCore

/// How one engine answers `runs/search` and reads the data of a page of runs. SQLite and
/// PostgreSQL run different algorithms for both (`RunSearchPlan+SQLite.swift`,
/// `RunSearchPlan+PostgreSQL.swift`); the SQL they share is `SearchSQL`'s. The database names its
/// plan and the store takes it once, when it is made.
package protocol RunSearchPlan: Sendable {
    /// One page of runs with their data, for a search with at least one experiment.
    func searchRuns(_ search: RunSearch, in store: SQLTrackingStore) async throws -> SearchPage<Run>
}

extension RunSearchPlan {
    /// The first `search.offset + maxResults + 1` runs of a metric order, from MLflow's three
    /// segments of it (see `SearchSQL.runSegments`) read one after the other until there are enough,
    /// less the offset. `first` may read the first segment its own way (nil: the plain query).
    func segmentedRuns(
        _ segments: [SQLFragment], _ search: RunSearch, on connection: any SQLConnection,
        first: (_ needed: Int) async throws -> [SQLRow]?
    ) async throws -> [RunInfo] {
        let needed = search.offset + search.maxResults + 1
        var infos: [RunInfo] = []
        for (n, segment) in segments.enumerated() where infos.count < needed {
            if n == 0, let rows = try await first(needed) {
                infos += rows.map(SQLTrackingStore.runInfo(from:))
                continue
            }
            infos += try await connection.query(segment.sql, segment.binds + [.int(Int64(needed - infos.count))])
                .map(SQLTrackingStore.runInfo(from:))
        }
        infos.removeFirst(min(search.offset, infos.count))
        return infos
    }
}
