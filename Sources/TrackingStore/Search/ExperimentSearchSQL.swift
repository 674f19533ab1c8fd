import TrackingCore

extension SearchSQL {
    /// The page query of `experiments/search`: `columns` of `experiments e`, MLflow's order,
    /// `max_results + 1` rows from the offset.
    func experiments(_ search: ExperimentSearch, columns: String) -> SQLFragment {
        var conditions = [dialect.inList("e.lifecycle_stage", search.viewType.stages.map { .text($0.rawValue) })]
        for filter in search.filters {
            switch filter {
            case .experimentId(let test): conditions.append(experimentIdTest(test))
            case .name(let test): conditions.append(text("e.name", test))
            case .time(let column, let op, let value):
                conditions.append(SQLFragment("e.\(column.rawValue) \(op.rawValue) ?", [.int(value)]))
            case .tag(let key, let test):
                let exists = "EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = ?"
                switch test {
                case .isNull: conditions.append(SQLFragment("NOT " + exists + ")", [.text(key)]))
                case .isNotNull: conditions.append(SQLFragment(exists + ")", [.text(key)]))
                default:
                    let value = text("t.value", test)
                    conditions.append(SQLFragment(exists + " AND " + value.sql + ")", [.text(key)] + value.binds))
                }
            }
        }
        return .pagedSelect(
            columns, from: "experiments e", where: conditions,
            orderBy: search.orders.map { "e.\($0.column.rawValue) \($0.ascending ? "ASC" : "DESC")" },
            maxResults: search.maxResults, offset: search.offset)
    }

    /// Experiment ids are integers in the schema; the parser has checked each value is one.
    private func experimentIdTest(_ test: TextTest) -> SQLFragment {
        let id: (String) -> SQLValue = { .int(Int64($0) ?? 0) }
        switch test {
        case .equal(let v): return SQLFragment("e.experiment_id = ?", [id(v)])
        case .notEqual(let v): return SQLFragment("e.experiment_id != ?", [id(v)])
        case .oneOf(let values): return dialect.inList("e.experiment_id", values.map(id))
        case .noneOf(let values): return dialect.inList("e.experiment_id", values.map(id)).negated
        default: return text("e.experiment_id", test)
        }
    }
}
