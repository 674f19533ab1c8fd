/// SQLite's forms of the connection's bulk capabilities: statements cost little in process, so many
/// rows are plain multi-row VALUES and plain row steps.
extension SQLiteConnection {
    /// Rows per VALUES statement: SQLite caps a statement's parameters (32,766 today, 999 in old builds).
    private static let boundValuesPerStatement = 1_500

    package func insertMany(_ insert: BulkInsert, shared: SQLValue, columns: [SQLValue]) throws {
        let count = BulkInsert.rowCount(columns)
        let width = columns.count + 1
        let chunk = max(1, Self.boundValuesPerStatement / width)
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        var start = 0
        while start < count {
            let end = min(start + chunk, count)
            var binds: [SQLValue] = []
            binds.reserveCapacity((end - start) * width)
            for i in start..<end {
                for column in columns { binds.append(column.element(i)) }
                binds.append(shared)
            }
            let rows = Array(repeating: row, count: end - start).joined(separator: ", ")
            try execute(insert.head + " VALUES " + rows + "\n" + insert.conflict, binds)
            start = end
        }
    }

    package func forEachRow(many sql: String, _ binds: [SQLValue], columns: Int, _ body: (SQLRow) throws -> Void) throws {
        try forEachRow(sql, binds, body)
    }

    /// SQLite plans every statement for its values already.
    package func planForBoundValues() {}
}
