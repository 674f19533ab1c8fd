/// A validated `experiments/search` request, checked in MLflow's order (`_search_experiments`).
package struct ExperimentSearch: Sendable, Equatable {
    package enum Filter: Sendable, Equatable {
        case experimentId(TextTest)
        case name(TextTest)
        case time(TimeColumn, NumberComparator, Int64)
        case tag(key: String, TextTest)
    }

    package enum TimeColumn: String, Sendable { case creationTime = "creation_time", lastUpdateTime = "last_update_time" }

    /// The `experiments` columns a search can order by.
    package enum Column: String, Sendable {
        case name, experimentId = "experiment_id", creationTime = "creation_time", lastUpdateTime = "last_update_time"
    }

    package struct Order: Sendable, Equatable {
        package var column: Column
        package var ascending: Bool
    }

    package static let maxResultsLimit = 50_000

    package var filters: [Filter]
    /// The user's keys (default: newest first), then `experiment_id` descending unless already a key.
    package var orders: [Order]
    package var viewType: ViewType
    package var maxResults: Int
    package var offset: Int

    package init(filter: String, orderBy: [String], viewType: ViewType, maxResults: Int, pageToken: String?)
        throws(TrackingError)
    {
        guard maxResults >= 1 else {
            throw .invalidParameter(
                "Invalid value \(maxResults) for parameter 'max_results' supplied. It must be a positive integer")
        }
        guard maxResults <= Self.maxResultsLimit else {
            throw .invalidParameter(
                "Invalid value \(maxResults) for parameter 'max_results' supplied. It must be at most \(Self.maxResultsLimit)")
        }
        let clauses = try SearchFilterParser(.experiments).parse(filter)
        filters = try clauses.map { clause throws(TrackingError) in try Self.filter(clause) }
        orders = try Self.orders(orderBy)
        offset = try SearchPageToken.offset(pageToken)
        self.viewType = viewType
        self.maxResults = maxResults
    }

    /// MLflow's `_get_search_experiments_filter_clauses`; comparators are case-sensitive here.
    private static func filter(_ clause: SearchComparison) throws(TrackingError) -> Filter {
        let comparator = clause.comparator
        if clause.entity == .tag {
            if comparator == "IS NULL" || comparator == "IS NOT NULL" {
                return .tag(key: clause.key, try TextTest(comparator, .none))
            }
            guard ["=", "!=", "LIKE", "ILIKE"].contains(comparator) else {
                throw .invalidParameter("Invalid comparator for tag: \(comparator)")
            }
            return .tag(key: clause.key, try TextTest(comparator, clause.value))
        }
        switch clause.key {
        case "experiment_id":
            guard ["=", "!=", "IN", "NOT IN"].contains(comparator) else {
                throw .invalidParameter("Invalid comparator for experiment_id: \(comparator)")
            }
            let value: SearchValue
            switch clause.value {
            case .string(let s): value = .string(String(try RunSearch.experimentKey(s)))
            case .list(let items):
                value = .list(try items.map { item throws(TrackingError) in String(try RunSearch.experimentKey(item)) })
            default: value = clause.value
            }
            return .experimentId(try TextTest(comparator, value))
        case "name":
            guard SearchGrammar.stringAttributeComparators.contains(comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.stringAttributeComparators))'")
            }
            guard ["=", "!=", "LIKE", "ILIKE"].contains(comparator) else {
                throw .invalidParameter("Invalid comparator for string attribute: \(comparator)")
            }
            return .name(try TextTest(comparator, clause.value))
        default:
            guard let op = NumberComparator(rawValue: comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.stringAttributeComparators))")
            }
            let column: TimeColumn = clause.key == "creation_time" ? .creationTime : .lastUpdateTime
            switch clause.value {
            case .int(let n): return .time(column, op, n)
            case .double(let d):
                throw .invalidParameter(
                    "Invalid value for numeric attribute '\(clause.key)': \(PythonRepr.string(PythonRepr.float(d)))")
            default:
                throw .invalidParameter("Expected numeric value type for numeric attribute: \(clause.key).")
            }
        }
    }

    /// MLflow's `_get_search_experiments_order_by_clauses`.
    private static func orders(_ entries: [String]) throws(TrackingError) -> [Order] {
        let parser = SearchOrderByParser(.experiments)
        var result: [Order] = []
        for entry in entries.isEmpty ? ["creation_time DESC", "experiment_id ASC"] : entries {
            let parsed = try parser.parse(entry)
            guard parsed.entity == .attribute else {
                throw .invalidParameter("Invalid order_by entity: \(parsed.entity.rawValue)")
            }
            guard let column = Column(rawValue: parsed.key) else {
                throw .invalidParameter("Invalid attribute key '\(parsed.key)' specified.")
            }
            result.append(Order(column: column, ascending: parsed.ascending))
        }
        if !result.contains(where: { $0.column == .experimentId }) {
            result.append(Order(column: .experimentId, ascending: false))
        }
        return result
    }
}
