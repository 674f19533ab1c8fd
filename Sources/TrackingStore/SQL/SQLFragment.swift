/// A piece of SQL with `?` placeholders and the values bound to them, in order.
struct SQLFragment: Sendable {
    var sql: String
    var binds: [SQLValue]

    init(_ sql: String, _ binds: [SQLValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    /// Conditions joined by AND (each already a complete boolean expression).
    static func and(_ conditions: [SQLFragment]) -> SQLFragment {
        SQLFragment(conditions.map(\.sql).joined(separator: " AND "), conditions.flatMap(\.binds))
    }

    /// `NOT (condition)`.
    var negated: SQLFragment { SQLFragment("NOT (\(sql))", binds) }

    /// One page of an offset-paged search: `SELECT columns FROM from WHERE conditions ORDER BY
    /// order LIMIT max_results + 1 OFFSET offset` (the extra row tells whether a next page exists).
    static func pagedSelect(
        _ columns: String, from table: String, where conditions: [SQLFragment], orderBy order: [String],
        maxResults: Int, offset: Int
    ) -> SQLFragment {
        let filter = and(conditions)
        return SQLFragment(
            "SELECT \(columns) FROM \(table) WHERE \(filter.sql) ORDER BY \(order.joined(separator: ", ")) LIMIT ? OFFSET ?",
            filter.binds + [.int(Int64(maxResults + 1)), .int(Int64(offset))])
    }
}
