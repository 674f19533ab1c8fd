import TrackingCore

/// The page queries of `registered-models/search` and `model-versions/search`: filters as bound
/// EXISTS subqueries, MLflow's orders, offset paging.
extension SearchSQL {
    /// `columns` of `registered_models m`.
    func registeredModels(_ search: RegisteredModelSearch, columns: String) -> SQLFragment {
        let ofModel = "t.workspace = m.workspace AND t.name = m.name"
        var conditions = [SQLFragment("m.workspace = 'default'")]
        for filter in search.filters {
            switch filter {
            case .name(let test): conditions.append(text("m.name", test))
            case .tag(let key, let test): conditions.append(tagProbe("registered_model_tags", ofModel, key, test))
            }
        }
        if !search.includePrompts { conditions.append(tagProbe("registered_model_tags", ofModel, PromptTag.isPrompt, .equal("true")).negated) }
        return .pagedSelect(
            columns, from: "registered_models m", where: conditions,
            orderBy: search.orders.map { "m.\($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            maxResults: search.maxResults, offset: search.offset)
    }

    /// `columns` of `model_versions v`.
    func modelVersions(_ search: ModelVersionSearch, columns: String) -> SQLFragment {
        let ofModel = "t.workspace = v.workspace AND t.name = v.name"
        var conditions = [SQLFragment("v.workspace = 'default' AND v.current_stage <> ?", [.text(ModelStage.deletedInternal)])]
        for filter in search.filters {
            switch filter {
            case .text(let column, let test): conditions.append(text("v.\(column.rawValue)", test))
            case .version(let op, let n): conditions.append(SQLFragment("v.version \(op.rawValue) ?", [.int(n)]))
            case .tag(let key, let test): conditions.append(tagProbe("model_version_tags", ofModel + " AND t.version = v.version", key, test))
            }
        }
        // MLflow leaves out every version of a model any of whose versions is marked a prompt.
        if !search.includePrompts { conditions.append(tagProbe("model_version_tags", ofModel, PromptTag.isPrompt, .equal("true")).negated) }
        return .pagedSelect(
            columns, from: "model_versions v", where: conditions,
            orderBy: search.orders.map { "v.\($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            maxResults: search.maxResults, offset: search.offset)
    }

    /// `EXISTS` a row `t` of the tag table `table` that `match` ties to the searched row, with the
    /// key and a value passing `test`.
    private func tagProbe(_ table: String, _ match: String, _ key: String, _ test: TextTest) -> SQLFragment {
        let value = text("t.value", test)
        return SQLFragment("EXISTS (SELECT 1 FROM \(table) t WHERE \(match) AND t.key = ? AND \(value.sql))", [.text(key)] + value.binds)
    }
}
