import TrackingCore

/// `registered-models/search` and `model-versions/search` (their SQL: `RegistrySearchSQL.swift`).
extension SQLTrackingStore {
    package func searchRegisteredModels(_ search: RegisteredModelSearch) async throws -> SearchPage<RegisteredModel> {
        let query = SearchSQL(dialect: database.dialect)
            .registeredModels(search, columns: "m.name, m.creation_time, m.last_updated_time, m.description")
        return try await database.read { connection in
            let rows = try await connection.query(query.sql, query.binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await loadRegisteredModels(page.items, latestByStage: true, on: connection), nextPageToken: page.nextPageToken)
        }
    }

    package func searchModelVersions(_ search: ModelVersionSearch) async throws -> SearchPage<ModelVersion> {
        let columns = Self.modelVersionColumnNames.map { "v." + $0 }.joined(separator: ", ")
        let query = SearchSQL(dialect: database.dialect).modelVersions(search, columns: columns)
        return try await database.read { connection in
            let rows = try await connection.query(query.sql, query.binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await loadModelVersions(page.items, on: connection), nextPageToken: page.nextPageToken)
        }
    }
}
