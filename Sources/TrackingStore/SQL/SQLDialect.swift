/// Which SQL a database speaks. The fragments that differ only in spelling live here, once; where
/// the engines need different algorithms, each has its own plan (`RunSearchPlan`) and its driver
/// its own fastest form of a capability (`SQLConnection.insertMany`, `forEachRow(many:)`).
package enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

extension SQLDialect {
    /// Boolean literals as MLflow's schema stores them (SQLite has integers only).
    var trueLiteral: String { self == .postgres ? "true" : "1" }
    var falseLiteral: String { self == .postgres ? "false" : "0" }

    /// `column ILIKE pattern`: SQLite has no ILIKE; it lower-cases both sides as SQLAlchemy does
    /// (its LIKE is case-sensitive here: connections run with `case_sensitive_like`).
    func ilike(_ column: String, _ pattern: String) -> SQLFragment {
        self == .postgres
            ? SQLFragment("\(column) ILIKE ?", [.text(pattern)]) : SQLFragment("lower(\(column)) LIKE lower(?)", [.text(pattern)])
    }

    /// `column IN (...)`: one array parameter on PostgreSQL (one statement text and plan for any
    /// number of values), a placeholder per value on SQLite.
    func inList(_ column: String, _ values: [SQLValue]) -> SQLFragment {
        // One value is an equality, which PostgreSQL can serve in index order (`= ANY` it cannot).
        if values.count == 1 { return SQLFragment("\(column) = ?", values) }
        if self == .postgres {
            if values.allSatisfy({ if case .text = $0 { true } else { false } }) {
                return SQLFragment("\(column) = ANY(?)", [.texts(values.map { if case .text(let s) = $0 { s } else { "" } })])
            }
            if values.allSatisfy({ if case .int = $0 { true } else { false } }) {
                return SQLFragment("\(column) = ANY(?)", [.ints(values.map { if case .int(let n) = $0 { n } else { 0 } })])
            }
        }
        return SQLFragment("\(column) IN (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")", values)
    }
}
