import TrackingCore

extension SearchSQL {
    /// The page query of `logged-models/search`: `columns` of `logged_models m` in the experiments
    /// `keys`, nulls last in either direction (as MLflow orders them).
    func loggedModels(_ search: LoggedModelSearch, experiments keys: [Int64], columns: String) -> SQLFragment {
        var conditions = [dialect.inList("experiment_id", keys.map(SQLValue.int)), SQLFragment("lifecycle_stage <> 'deleted'")]
        conditions += search.filters.map(loggedModelCondition)
        return .pagedSelect(
            columns, from: "logged_models m", where: conditions,
            orderBy: search.orders.map {
                "CASE WHEN \($0.column.rawValue) IS NULL THEN 1 ELSE 0 END, \($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")"
            },
            maxResults: search.maxResults, offset: search.offset)
    }

    /// One filter clause as a condition on `logged_models m`; params, tags and metrics as EXISTS.
    private func loggedModelCondition(_ filter: LoggedModelFilter) -> SQLFragment {
        switch filter {
        case .text(let column, let test): return text("m.\(column.rawValue)", test)
        case .number(let column, let op, let value): return SQLFragment("m.\(column.rawValue) \(op.rawValue) ?", [.double(value)])
        case .param(let key, let test):
            let value = text("p.param_value", test)
            return SQLFragment(
                "EXISTS (SELECT 1 FROM logged_model_params p WHERE p.model_id = m.model_id AND p.param_key = ? AND \(value.sql))",
                [.text(key)] + value.binds)
        case .tag(let key, let test):
            let value = text("t.tag_value", test)
            return SQLFragment(
                "EXISTS (SELECT 1 FROM logged_model_tags t WHERE t.model_id = m.model_id AND t.tag_key = ? AND \(value.sql))",
                [.text(key)] + value.binds)
        case .metric(let key, let op, let value):
            return SQLFragment(
                """
                EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.model_id = m.model_id AND x.metric_name = ?
                AND x.metric_value \(op.rawValue) ?)
                """,
                [.text(key), .double(value)])
        }
    }
}
