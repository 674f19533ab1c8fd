/// A validated `runs/search` request: what the store turns into SQL. Building it applies MLflow's
/// checks in MLflow's order, so the first error a user sees is MLflow's first error.
package struct RunSearch: Sendable, Equatable {
    /// One filter clause, in the terms of MLflow's schema.
    package enum Filter: Sendable, Equatable {
        /// The run's latest value of a metric (NaN never matches, except `!=`).
        case metric(key: String, NumberComparator, Double)
        case param(key: String, TextTest)
        case tag(key: String, TextTest)
        /// `attributes.run_name`: MLflow filters on the `mlflow.runName` tag, not the column.
        case runName(TextTest)
        case column(TextColumn, TextTest)
        case time(TimeColumn, NumberComparator, NumberLiteral)
        case dataset(DatasetField, TextTest)
    }

    package enum TextColumn: String, Sendable { case runId = "run_uuid", status, userId = "user_id", artifactUri = "artifact_uri" }
    package enum TimeColumn: String, Sendable { case startTime = "start_time", endTime = "end_time" }
    package enum DatasetField: String, Sendable { case name, digest, context }

    /// The `runs` columns a search can order by.
    package enum OrderColumn: String, Sendable {
        case runId = "run_uuid", name, status, userId = "user_id", artifactUri = "artifact_uri"
        case startTime = "start_time", endTime = "end_time"
    }

    /// One order-by key; runs without the key come last in either direction.
    package enum OrderKey: Sendable, Equatable {
        case column(OrderColumn)
        case metric(String)
        case param(String)
        case tag(String)
    }

    package struct Order: Sendable, Equatable {
        package var key: OrderKey
        package var ascending: Bool

        package init(key: OrderKey, ascending: Bool) {
            self.key = key
            self.ascending = ascending
        }
    }

    package static let defaultMaxResults = 1000
    package static let maxResultsLimit = 50_000

    package var experimentIds: [Int64]
    package var filters: [Filter]
    /// The user's keys, then MLflow's tie-breaks (start time descending unless ordered by it, then run id).
    package var orders: [Order]
    package var viewType: ViewType
    package var maxResults: Int
    package var offset: Int

    package init(
        experimentIds: [String], filter: String, orderBy: [String], viewType: ViewType, maxResults: Int,
        pageToken: String?
    ) throws(TrackingError) {
        guard maxResults >= 1 else {
            throw .invalidParameter(
                "Invalid value \(maxResults) for parameter 'max_results' supplied. It must be a positive integer")
        }
        let clauses = try SearchFilterParser(.runs).parse(filter)
        orders = try Self.orders(orderBy)
        filters = try clauses.map { clause throws(TrackingError) in try Self.filter(clause) }
        offset = try SearchPageToken.offset(pageToken)
        self.experimentIds = try experimentIds.map { id throws(TrackingError) in try Self.experimentKey(id) }
        self.viewType = viewType
        self.maxResults = maxResults
    }

    /// Python's `int()` of an experiment id.
    static func experimentKey(_ id: String) throws(TrackingError) -> Int64 {
        guard let key = Int64(id.trimmingPythonWhitespace.replacing("_", with: "")), !id.hasPrefix("_"), !id.hasSuffix("_")
        else {
            throw .invalidParameter("Invalid experiment ID '\(id)'. Experiment ID must be a valid integer.")
        }
        return key
    }

    /// MLflow's `translate_key_alias`.
    static func canonicalAttribute(_ key: String) -> String {
        switch key {
        case "created", "Created": "start_time"
        case "run name", "Run name", "Run Name": "run_name"
        default: key
        }
    }

    // MARK: filters (MLflow's `_get_sqlalchemy_filter_clauses`)

    private static func filter(_ clause: SearchComparison) throws(TrackingError) -> Filter {
        let comparator = clause.comparator.uppercased()
        // MLflow translates the attribute aliases on every key, so `metrics.created` means metric `start_time`.
        let key = canonicalAttribute(clause.key)
        switch clause.entity {
        case .attribute:
            if key == "start_time" || key == "end_time" {
                guard let op = NumberComparator(rawValue: comparator) else {
                    throw .invalidParameter(
                        "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.stringAttributeComparators))")
                }
                let number: NumberLiteral
                switch clause.value {
                case .int(let n): number = .int(n)
                case .double(let d): number = .double(d)
                default: throw .invalidParameter("Expected numeric value type for numeric attribute: \(key).")
                }
                return .time(key == "start_time" ? .startTime : .endTime, op, number)
            }
            guard SearchGrammar.stringAttributeComparators.contains(comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.stringAttributeComparators))'")
            }
            let test = try TextTest(comparator, clause.value)
            switch key {
            case "run_name": return .runName(test)
            case "run_id": return .column(.runId, test)
            case "status": return .column(.status, test)
            case "user_id": return .column(.userId, test)
            default: return .column(.artifactUri, test)
            }
        case .metric:
            guard let op = NumberComparator(rawValue: comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.metricComparators))")
            }
            guard case .number(let text) = clause.value else {
                throw .invalidParameter("Expected numeric value type for metric.")
            }
            return .metric(key: key, op, SearchFilterParser.pythonFloat(text))
        case .parameter:
            guard SearchGrammar.paramComparators.contains(comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.paramComparators))'")
            }
            return .param(key: key, try TextTest(comparator, clause.value))
        case .tag:
            guard SearchGrammar.paramComparators.contains(comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.paramComparators))")
            }
            return .tag(key: key, try TextTest(comparator, clause.value))
        case .dataset:
            guard SearchGrammar.stringAttributeComparators.contains(comparator) else {
                throw .invalidParameter(
                    "Invalid comparator '\(comparator)' not one of '\(SearchGrammar.pythonSet(SearchGrammar.stringAttributeComparators))")
            }
            return .dataset(DatasetField(rawValue: key) ?? .name, try TextTest(comparator, clause.value))
        }
    }

    // MARK: order (MLflow's `_get_orderby_clauses`)

    private static func orders(_ entries: [String]) throws(TrackingError) -> [Order] {
        let parser = SearchOrderByParser(.runs)
        var result: [Order] = []
        var seen = Set<String>()
        for entry in entries {
            let parsed = try parser.parse(entry)
            let name = canonicalAttribute(parsed.key)
            let key: OrderKey
            switch parsed.entity {
            case .attribute: key = .column(try orderColumn(name))
            case .metric: key = .metric(name)
            case .parameter: key = .param(name)
            case .tag: key = .tag(name)
            case .dataset: throw .invalidParameter("Invalid identifier type 'dataset'")
            }
            guard seen.insert("\(parsed.entity.rawValue)\u{0}\(name)").inserted else {
                // MLflow raises this without an error code (a 500 the client would retry); a 400 says the same.
                throw .invalidParameter(
                    "`order_by` contains duplicate fields: [\(entries.map(PythonRepr.string).joined(separator: ", "))]")
            }
            result.append(Order(key: key, ascending: parsed.ascending))
        }
        if !result.contains(where: { $0.key == .column(.startTime) }) {
            result.append(Order(key: .column(.startTime), ascending: false))
        }
        result.append(Order(key: .column(.runId), ascending: true))
        return result
    }

    /// An order-by attribute (already checked against the grammar, aliases resolved) as its column.
    private static func orderColumn(_ name: String) throws(TrackingError) -> OrderColumn {
        switch name {
        case "run_id": return .runId
        case "run_name": return .name
        default:
            guard let column = OrderColumn(rawValue: name) else { throw .invalidParameter("Invalid attribute key '\(name)' specified.") }
            return column
        }
    }
}
