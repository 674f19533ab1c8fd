import TrackingCore

/// `registered-models/search` and `model-versions/search`: filters as bound EXISTS subqueries,
/// MLflow's orders, offset paging.
extension SQLTrackingStore {
    package func searchRegisteredModels(_ search: RegisteredModelSearch) async throws -> SearchPage<RegisteredModel> {
        let sql = SearchSQL(dialect: database.dialect)
        var conditions = ["m.workspace = 'default'"]
        var binds: [SQLValue] = []
        for filter in search.filters {
            let fragment: SQLFragment
            switch filter {
            case .name(let test): fragment = sql.text("m.name", test)
            case .tag(let key, let test):
                let value = sql.text("t.value", test)
                fragment = SQLFragment(
                    "EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.workspace = m.workspace AND t.name = m.name AND t.key = ? AND \(value.sql))",
                    [.text(key)] + value.binds)
            }
            conditions.append(fragment.sql)
            binds += fragment.binds
        }
        if !search.includePrompts {
            conditions.append(
                "NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.workspace = m.workspace AND p.name = m.name AND p.key = ? AND p.value = 'true')")
            binds.append(.text(PromptTag.isPrompt))
        }
        let order = search.orders.map { "m.\($0.column) \($0.ascending ? "ASC" : "DESC")" }.joined(separator: ", ")
        let query = """
            SELECT m.name, m.creation_time, m.last_updated_time, m.description FROM registered_models m
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?
            """
        binds += [.int(Int64(search.maxResults + 1)), .int(Int64(search.offset))]
        return try await database.read { [binds] connection in
            let rows = try await connection.query(query, binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await loadRegisteredModels(page.items, latestByStage: true, on: connection), nextPageToken: page.nextPageToken)
        }
    }

    package func searchModelVersions(_ search: ModelVersionSearch) async throws -> SearchPage<ModelVersion> {
        let sql = SearchSQL(dialect: database.dialect)
        var conditions = ["v.workspace = 'default'", "v.current_stage <> ?"]
        var binds: [SQLValue] = [.text(ModelStage.deletedInternal)]
        for filter in search.filters {
            let fragment: SQLFragment
            switch filter {
            case .text(let column, let test): fragment = sql.text("v.\(column)", test)
            case .version(let op, let n): fragment = SQLFragment("v.version \(op.rawValue) ?", [.int(n)])
            case .tag(let key, let test):
                let value = sql.text("t.value", test)
                fragment = SQLFragment(
                    """
                    EXISTS (SELECT 1 FROM model_version_tags t WHERE t.workspace = v.workspace AND t.name = v.name
                    AND t.version = v.version AND t.key = ? AND \(value.sql))
                    """,
                    [.text(key)] + value.binds)
            }
            conditions.append(fragment.sql)
            binds += fragment.binds
        }
        if !search.includePrompts {
            // MLflow leaves out every version of a model any of whose versions is marked a prompt.
            conditions.append(
                "NOT EXISTS (SELECT 1 FROM model_version_tags p WHERE p.workspace = v.workspace AND p.name = v.name AND p.key = ? AND p.value = 'true')")
            binds.append(.text(PromptTag.isPrompt))
        }
        let order = search.orders.map { "v.\($0.column) \($0.ascending ? "ASC" : "DESC")" }.joined(separator: ", ")
        let columns = Self.modelVersionColumnNames.map { "v." + $0 }.joined(separator: ", ")
        let query = """
            SELECT \(columns) FROM model_versions v
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?
            """
        binds += [.int(Int64(search.maxResults + 1)), .int(Int64(search.offset))]
        return try await database.read { [binds] connection in
            let rows = try await connection.query(query, binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            return SearchPage(items: try await loadModelVersions(page.items, on: connection), nextPageToken: page.nextPageToken)
        }
    }
}
