/// MLflow's `parse_filter_string` for logged models (mlflow/utils/search_logged_model_utils.py):
/// `attributes.`, `metrics.`, `params.` and `tags.` comparisons joined by AND, on the same
/// sqlparse-faithful tokens as the other searches.
package enum LoggedModelFilter: Sendable, Equatable {
    case text(column: LoggedModelSearch.Column, TextTest)
    case number(column: LoggedModelSearch.Column, NumberComparator, Double)
    case param(key: String, TextTest)
    case tag(key: String, TextTest)
    case metric(key: String, NumberComparator, Double)

    static let numericColumns: Set<String> = [
        LoggedModelSearch.Column.creationTimestamp.rawValue, LoggedModelSearch.Column.lastUpdatedTimestamp.rawValue,
    ]
    static let numericOps = ["<", "<=", ">", ">=", "=", "!="]
    static let stringOps = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]

    static func parse(_ filter: String) throws(TrackingError) -> [LoggedModelFilter] {
        if filter.isEmpty { return [] }
        let statements: [[FilterNode]]
        do {
            statements = try FilterStatement.parse(filter)
        } catch {
            throw .invalidParameter("Invalid filter string: \(PythonRepr.string(filter)).")
        }
        guard statements.count == 1 else {
            throw .invalidParameter("Invalid filter string: \(PythonRepr.string(filter)). Expected a single SQL expression.")
        }
        var filters: [LoggedModelFilter] = []
        for node in SearchFilterParser.joinInComparisons(statements[0]) {
            if node.kind == .comparison {
                filters.append(try comparison(node))
            } else if node.text.trimmingPythonWhitespace.uppercased() != "AND" {
                throw .invalidParameter(
                    "Invalid filter string: \(PythonRepr.string(filter)). Expected a list of comparisons separated by 'AND' "
                        + "(e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').")
            }
        }
        return filters
    }

    private static func comparison(_ node: FilterNode) throws(TrackingError) -> LoggedModelFilter {
        let parts = node.children.filter { !$0.isWhitespace }.map(\.text)
        guard parts.count == 3 else {
            throw .invalidParameter("Invalid comparison: \(node.text). Expected a comparison with 3 tokens.")
        }
        let op = parts[1].uppercased()
        let (entity, key) = try entity(parts[0])
        let numeric = entity == "metrics" || (entity == "attributes" && numericColumns.contains(key))
        let ops = numeric ? numericOps : stringOps
        guard ops.contains(op) else {
            throw .invalidParameter(
                "Invalid comparison operator for \(entity).\(key): \(PythonRepr.string(op)). Expected one of "
                    + "(\(ops.map(PythonRepr.string).joined(separator: ", "))).")
        }
        if numeric {
            guard let value = Double(SearchFilterParser.asciiDigits(parts[2].trimmingPythonWhitespace)),
                let comparator = NumberComparator(rawValue: op)
            else {
                // MLflow's float() raises here (a 500); the value is the caller's mistake.
                throw .invalidParameter("Invalid numeric value for \(entity).\(key): \(parts[2])")
            }
            return entity == "metrics" ? .metric(key: key, comparator, value) : .number(column: try attribute(key), comparator, value)
        }
        let value: SearchValue
        if parts[2].hasPrefix("("), parts[2].hasSuffix(")") {
            value = .list(try SearchFilterParser.list(parts[2]))
        } else {
            // MLflow strips single quotes only, from both ends.
            var text = Substring(parts[2])
            while text.first == "'" { text = text.dropFirst() }
            while text.last == "'" { text = text.dropLast() }
            value = .string(String(text))
        }
        let test = try TextTest(op, value)
        switch entity {
        case "params": return .param(key: key, test)
        case "tags": return .tag(key: key, test)
        default: return .text(column: try attribute(key), test)
        }
    }

    /// `Entity.from_str`: `<lowercase word>.<key>` or a bare attribute (with MLflow's aliases).
    private static func entity(_ text: String) throws(TrackingError) -> (String, String) {
        if let dot = text.firstIndex(of: "."), dot != text.startIndex,
            text[..<dot].allSatisfy({ $0.isASCII && $0.isLowercase }), text.index(after: dot) != text.endIndex
        {
            let entity = String(text[..<dot])
            guard ["attributes", "metrics", "params", "tags"].contains(entity) else {
                throw .invalidParameter(
                    "Invalid entity type: \(PythonRepr.string(entity)). Expected one of ['attributes', 'metrics', 'params', 'tags'].")
            }
            let key = trimBackticks(String(text[text.index(after: dot)...]))
            return (entity, entity == "attributes" ? try column(key) : key)
        }
        return ("attributes", try column(trimBackticks(LoggedModelSearch.aliases[text] ?? text)))
    }

    private static func column(_ key: String) throws(TrackingError) -> String {
        let key = LoggedModelSearch.aliases[key] ?? key
        // MLflow looks the name up on its model class and fails with a 500 when it is not a column.
        guard LoggedModelSearch.Column(rawValue: key) != nil else { throw .invalidParameter("Invalid attribute key '\(key)' specified.") }
        return key
    }

    /// An attribute key already checked by `column(_:)`, as its column.
    private static func attribute(_ key: String) throws(TrackingError) -> LoggedModelSearch.Column {
        guard let column = LoggedModelSearch.Column(rawValue: key) else { throw .invalidParameter("Invalid attribute key '\(key)' specified.") }
        return column
    }

    private static func trimBackticks(_ text: String) -> String {
        var text = Substring(text)
        while text.first == "`" { text = text.dropFirst() }
        while text.last == "`" { text = text.dropLast() }
        return String(text)
    }
}
