/// A validated `registered-models/search` request, checked as MLflow's SQL registry store checks it.
package struct RegisteredModelSearch: Sendable, Equatable {
    package enum Filter: Sendable, Equatable {
        case name(TextTest)
        case tag(key: String, TextTest)
    }

    /// The `registered_models` columns a search can order by.
    package enum Column: String, Sendable { case name, lastUpdatedTime = "last_updated_time" }

    package struct Order: Sendable, Equatable {
        package var column: Column
        package var ascending: Bool
    }

    package static let defaultMaxResults = 100
    package static let maxResultsLimit = 1000

    package var filters: [Filter]
    /// The user's keys, then `name` ascending unless already a key.
    package var orders: [Order]
    package var maxResults: Int
    package var offset: Int
    /// False unless the filter asks for prompts: prompts are left out of a plain search.
    package var includePrompts: Bool

    package init(filter: String, orderBy: [String], maxResults: Int, pageToken: String?) throws(TrackingError) {
        guard maxResults <= Self.maxResultsLimit else {
            throw .invalidParameter(
                "Invalid value for request parameter max_results. It must be at most \(Self.maxResultsLimit), but got value \(maxResults)")
        }
        guard maxResults >= 0 else {
            // MLflow hands a negative limit to SQL, where SQLite reads it as "no limit"; refuse it.
            throw .invalidParameter("Invalid value \(maxResults) for parameter 'max_results' supplied. It must be a positive integer")
        }
        let clauses = try SearchFilterParser(.registeredModels).parse(filter)
        includePrompts = RegistrySearchRules.queriesPrompts(clauses)
        var filters: [Filter] = []
        for clause in clauses {
            if clause.entity == .tag {
                let test = try RegistrySearchRules.tagTest(clause)
                // The prompt marker is answered by the prompt rule unless the filter asks for prompts.
                if clause.key != PromptTag.isPrompt || includePrompts { filters.append(.tag(key: clause.key, test)) }
                continue
            }
            let comparator = clause.comparator.uppercased()
            guard ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"].contains(comparator) else {
                throw .invalidParameter("Invalid comparator for attribute: \(comparator)")
            }
            filters.append(.name(try TextTest(comparator, clause.value)))
        }
        self.filters = filters
        orders = try Self.orders(orderBy)
        offset = try SearchPageToken.offset(pageToken)
        self.maxResults = maxResults
    }

    /// `_parse_search_registered_models_order_by`: `name`, `timestamp` or `last_updated_timestamp`
    /// (both timestamps order by the last update, as in MLflow).
    private static func orders(_ entries: [String]) throws(TrackingError) -> [Order] {
        let parser = SearchOrderByParser(.registeredModels)
        var result: [Order] = []
        for entry in entries {
            let (raw, ascending) = try parser.parseKey(entry)
            let key = raw.trimmingPythonWhitespace
            let column: Column
            switch key {
            case "name": column = .name
            case "timestamp", "last_updated_timestamp": column = .lastUpdatedTime
            default:
                throw .invalidParameter("Invalid order by key '\(key)' specified. Valid keys are '{'name', 'timestamp'}'")
            }
            guard !result.contains(where: { $0.column == column }) else {
                // MLflow raises this without an error code (HTTP 500); it is the caller's mistake.
                throw .invalidParameter("`order_by` contains duplicate fields: [\(entries.map(PythonRepr.string).joined(separator: ", "))]")
            }
            result.append(Order(column: column, ascending: ascending))
        }
        if !result.contains(where: { $0.column == .name }) { result.append(Order(column: .name, ascending: true)) }
        return result
    }
}

/// Rules the two registry searches share.
enum RegistrySearchRules {
    static func tagTest(_ clause: SearchComparison) throws(TrackingError) -> TextTest {
        let comparator = clause.comparator.uppercased()
        guard ["=", "!=", "LIKE", "ILIKE"].contains(comparator) else {
            throw .invalidParameter("Invalid comparator for tag: \(comparator)")
        }
        return try TextTest(comparator, clause.value)
    }

    /// MLflow's `_is_querying_prompt`: the first clause on the prompt marker decides.
    static func queriesPrompts(_ clauses: [SearchComparison]) -> Bool {
        guard let clause = clauses.first(where: { $0.entity == .tag && $0.key == PromptTag.isPrompt }),
            case .string(let value) = clause.value
        else { return false }
        let comparator = clause.comparator.uppercased()
        return (comparator == "=" && value.lowercased() == "true") || (comparator == "!=" && value.lowercased() == "false")
    }
}
