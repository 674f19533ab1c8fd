import TrackingCore

extension SQLTrackingStore {
    /// `runs/search`, by the engine's plan (`RunSearchPlan`): one query for the page of runs, then
    /// the page's data in a few statements for the whole page (not some per run).
    package func searchRuns(_ search: RunSearch) async throws -> SearchPage<Run> {
        guard !search.experimentIds.isEmpty else { return SearchPage(items: [], nextPageToken: nil) }
        return try await runSearchPlan.searchRuns(search, in: self)
    }

    /// `experiments/search`.
    package func searchExperiments(_ search: ExperimentSearch) async throws -> SearchPage<Experiment> {
        let sql = SearchSQL(dialect: database.dialect)
        let columns = Self.experimentColumns.split(separator: ", ").map { "e.\($0)" }.joined(separator: ", ")
        let query = sql.experiments(search, columns: columns)
        return try await database.read { connection in
            let rows = try await connection.query(query.sql, query.binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            var tags: [Int64: [KeyValue]] = [:]
            for chunk in Self.chunks(page.items.compactMap { $0.int(0) }) {
                let list = connection.dialect.inList("experiment_id", chunk.map(SQLValue.int))
                for row in try await connection.query("SELECT experiment_id, key, value FROM experiment_tags WHERE \(list.sql)", list.binds) {
                    tags[row.int(0) ?? 0, default: []].append(KeyValue(key: row.string(1) ?? "", value: row.string(2) ?? ""))
                }
            }
            let experiments = page.items.map { Self.experiment(from: $0, tags: tags[$0.int(0) ?? 0] ?? []) }
            return SearchPage(items: experiments, nextPageToken: page.nextPageToken)
        }
    }

    /// Bounded IN lists: SQLite caps the number of parameters of a statement.
    static func chunks<T>(_ items: [T], size: Int = 500) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
