/// PostgreSQL's forms of the connection's bulk capabilities: column arrays, so that many rows cost
/// a handful of parameters and one result row instead of a message per row.
extension PostgresSQLConnection {
    /// One statement for any number of rows, with an array parameter per column: PostgreSQL parses
    /// and binds it far faster than thousands of VALUES parameters, and it keeps one text (prepared
    /// once per connection) for every batch size.
    func insertMany(_ insert: BulkInsert, shared: SQLValue, columns: [SQLValue]) async throws {
        try await execute(Self.unnestInsert(insert), [shared] + columns)
    }

    /// `INSERT ... SELECT p.columns, ? FROM unnest(?::type[], ...) AS p(columns) conflict`.
    static func unnestInsert(_ insert: BulkInsert) -> String {
        let names = insert.columns.joined(separator: ", ")
        let selected = insert.columns.map { "p." + $0 }.joined(separator: ", ")
        let arrays = insert.types.map { "?::" + $0.rawValue }.joined(separator: ", ")
        return insert.head + "\nSELECT \(selected), ? FROM unnest(\(arrays)) AS p(\(names))\n" + insert.conflict
    }

    /// The rows as one row of arrays (`array_agg` per column, which reads the rows in the query's
    /// order), handed out row by row.
    func forEachRow(many sql: String, _ binds: [SQLValue], columns: Int, _ body: (SQLRow) throws -> Void) async throws {
        let names = (0..<columns).map { "c\($0)" }
        let aggregated = "SELECT " + names.map { "array_agg(\($0))" }.joined(separator: ", ")
            + " FROM (\(sql)) AS many(\(names.joined(separator: ", ")))"
        guard let arrays = try await query(aggregated, binds).first?.values else { return }
        var count = Int.max
        for array in arrays {
            count = min(count, BulkInsert.rowCount([array]))
        }
        guard count != .max else { return }
        var row = SQLRow(Array(repeating: .null, count: columns))
        for i in 0..<count {
            for c in 0..<columns { row.values[c] = arrays[c].element(i) }
            try body(row)
        }
    }

    /// PostgreSQL turns a prepared statement into a generic plan after five executions when its
    /// estimate (made for no value in particular) looks cheaper; for statements whose best plan
    /// depends on the values (a history of ten points or of millions) that plan can be far slower.
    func planForBoundValues() async throws {
        try await execute("SET LOCAL plan_cache_mode = force_custom_plan", [])
    }
}
