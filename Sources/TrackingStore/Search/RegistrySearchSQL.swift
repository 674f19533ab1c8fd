import TrackingCore

/// The page queries of `registered-models/search` and `model-versions/search`: filters as bound
/// EXISTS subqueries, MLflow's orders, offset paging.
extension SearchSQL {
    /// `columns` of `registered_models m`.
    func registeredModels(_ search: RegisteredModelSearch, columns: String) -> SQLFragment {
        var conditions = [SQLFragment("m.workspace = 'default'")]
        for filter in search.filters {
            switch filter {
            case .name(let test): conditions.append(text("m.name", test))
            case .tag(let key, let test):
                let value = text("t.value", test)
                conditions.append(SQLFragment(
                    "EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.workspace = m.workspace AND t.name = m.name AND t.key = ? AND \(value.sql))",
                    [.text(key)] + value.binds))
            }
        }
        if !search.includePrompts {
            conditions.append(SQLFragment(
                "NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.workspace = m.workspace AND p.name = m.name AND p.key = ? AND p.value = 'true')",
                [.text(PromptTag.isPrompt)]))
        }
        return .pagedSelect(
            columns, from: "registered_models m", where: conditions,
            orderBy: search.orders.map { "m.\($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            maxResults: search.maxResults, offset: search.offset)
    }

    /// `columns` of `model_versions v`.
    func modelVersions(_ search: ModelVersionSearch, columns: String) -> SQLFragment {
        var conditions = [SQLFragment("v.workspace = 'default' AND v.current_stage <> ?", [.text(ModelStage.deletedInternal)])]
        for filter in search.filters {
            switch filter {
            case .text(let column, let test): conditions.append(text("v.\(column.rawValue)", test))
            case .version(let op, let n): conditions.append(SQLFragment("v.version \(op.rawValue) ?", [.int(n)]))
            case .tag(let key, let test):
                let value = text("t.value", test)
                conditions.append(SQLFragment(
                    """
                    EXISTS (SELECT 1 FROM model_version_tags t WHERE t.workspace = v.workspace AND t.name = v.name
                    AND t.version = v.version AND t.key = ? AND \(value.sql))
                    """,
                    [.text(key)] + value.binds))
            }
        }
        if !search.includePrompts {
            // MLflow leaves out every version of a model any of whose versions is marked a prompt.
            conditions.append(SQLFragment(
                "NOT EXISTS (SELECT 1 FROM model_version_tags p WHERE p.workspace = v.workspace AND p.name = v.name AND p.key = ? AND p.value = 'true')",
                [.text(PromptTag.isPrompt)]))
        }
        return .pagedSelect(
            columns, from: "model_versions v", where: conditions,
            orderBy: search.orders.map { "v.\($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            maxResults: search.maxResults, offset: search.offset)
    }
}
