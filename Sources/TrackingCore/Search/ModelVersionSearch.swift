/// A validated `model-versions/search` request, checked as MLflow's SQL registry store checks it.
package struct ModelVersionSearch: Sendable, Equatable {
    package enum Filter: Sendable, Equatable {
        case text(column: TextColumn, TextTest)
        case version(NumberComparator, Int64)
        case tag(key: String, TextTest)
    }

    /// The `model_versions` text columns a filter can test.
    package enum TextColumn: String, Sendable { case name, runId = "run_id", source }
    /// The `model_versions` columns a search can order by.
    package enum Column: String, Sendable {
        case name, version, creationTime = "creation_time", lastUpdatedTime = "last_updated_time"
    }

    package struct Order: Sendable, Equatable {
        package var column: Column
        package var ascending: Bool
    }

    package static let defaultMaxResults = 10_000
    package static let maxResultsLimit = 200_000

    package var filters: [Filter]
    /// The user's keys (default: last update descending), then `name` ascending and `version`
    /// descending unless already keys.
    package var orders: [Order]
    package var maxResults: Int
    package var offset: Int
    package var includePrompts: Bool

    package init(filter: String, orderBy: [String], maxResults: Int, pageToken: String?) throws(TrackingError) {
        guard maxResults >= 1 else {
            throw .invalidParameter("Invalid value for max_results. It must be a positive integer, but got \(maxResults)")
        }
        guard maxResults <= Self.maxResultsLimit else {
            throw .invalidParameter(
                "Invalid value for request parameter max_results. It must be at most \(Self.maxResultsLimit), but got value \(maxResults)")
        }
        let clauses = try SearchFilterParser(.modelVersions).parse(filter)
        includePrompts = RegistrySearchRules.queriesPrompts(clauses)
        var filters: [Filter] = []
        for clause in clauses {
            if clause.entity == .tag {
                let test = try RegistrySearchRules.tagTest(clause)
                if clause.key != PromptTag.isPrompt || includePrompts { filters.append(.tag(key: clause.key, test)) }
                continue
            }
            filters.append(try Self.attributeFilter(clause))
        }
        self.filters = filters
        orders = try Self.orders(orderBy.isEmpty ? ["last_updated_timestamp DESC", "name ASC", "version_number DESC"] : orderBy)
        offset = try SearchPageToken.offset(pageToken)
        self.maxResults = maxResults
    }

    /// `_get_search_model_versions_filter_clauses`, attribute part.
    private static func attributeFilter(_ clause: SearchComparison) throws(TrackingError) -> Filter {
        let comparator = clause.comparator.uppercased()
        if clause.key == "version_number" {
            guard let op = NumberComparator(rawValue: comparator) else {
                throw .invalidParameter("Invalid comparator for attribute version_number: \(comparator)")
            }
            switch clause.value {
            case .int(let n): return .version(op, n)
            case .double(let d):
                throw .invalidParameter(
                    "Invalid value for numeric attribute 'version_number': \(PythonRepr.float(d))")
            case .string(let s):
                // MLflow converts a quoted number with Python's int().
                guard let n = Int64(s.trimmingPythonWhitespace) else {
                    throw .invalidParameter("Invalid value for numeric attribute 'version_number': \(PythonRepr.string(s))")
                }
                return .version(op, n)
            default:
                throw .invalidParameter("Invalid comparator for attribute version_number: \(comparator)")
            }
        }
        let allowed = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]
        guard allowed.contains(comparator), !(["IN", "NOT IN"].contains(comparator) && clause.key == "source_path") else {
            throw .invalidParameter("Invalid comparator for attribute: \(comparator)")
        }
        let column: TextColumn
        switch clause.key {
        case "name": column = .name
        case "run_id": column = .runId
        case "source_path": column = .source
        default: throw .invalidParameter("Invalid attribute key '\(clause.key)' specified.")
        }
        return .text(column: column, try TextTest(comparator, clause.value))
    }

    /// `_parse_search_model_versions_order_by`.
    private static func orders(_ entries: [String]) throws(TrackingError) -> [Order] {
        let parser = SearchOrderByParser(.modelVersions)
        var result: [Order] = []
        for entry in entries {
            let parsed = try parser.parse(entry)
            guard parsed.entity == .attribute else {
                throw .invalidParameter(
                    "Invalid order by key '\(parsed.key)' specified. Valid keys are {'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'}")
            }
            let column: Column
            switch parsed.key {
            case "name": column = .name
            case "version_number": column = .version
            case "creation_timestamp": column = .creationTime
            case "last_updated_timestamp": column = .lastUpdatedTime
            default: throw .invalidParameter("Invalid order by key '\(parsed.key)' specified.")
            }
            guard !result.contains(where: { $0.column == column }) else {
                // MLflow raises this without an error code (HTTP 500); it is the caller's mistake.
                throw .invalidParameter("`order_by` contains duplicate fields: [\(entries.map(PythonRepr.string).joined(separator: ", "))]")
            }
            result.append(Order(column: column, ascending: parsed.ascending))
        }
        if !result.contains(where: { $0.column == .name }) { result.append(Order(column: .name, ascending: true)) }
        if !result.contains(where: { $0.column == .version }) { result.append(Order(column: .version, ascending: false)) }
        return result
    }
}
