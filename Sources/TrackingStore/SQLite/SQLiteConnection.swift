import CSQLite
import TrackingCore

/// One SQLite connection with a cache of prepared statements.
///
/// Statements run synchronously on the calling task: a SQLite step takes microseconds, and a hop to
/// another thread per statement (as SQLiteNIO does) would cost more than the statement itself.
/// Exclusive use is guaranteed by `SQLitePool`, which leases a connection to one task at a time.
package final class SQLiteConnection: SQLConnection, @unchecked Sendable {
    private let handle: OpaquePointer
    private var statements: [String: OpaquePointer] = [:]
    package var dialect: SQLDialect { .sqlite }

    package init(path: String, readOnly: Bool = false) throws {
        _ = Self.configured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw DatabaseError(.unavailable, "cannot open SQLite database '\(path)': \(message)")
        }
        handle = db
        // Another process (a second server, `mlflow server`) may hold the write lock briefly.
        sqlite3_busy_timeout(db, Self.busyTimeout)
        sqlite3_extended_result_codes(db, 1)
    }

    /// Process-wide settings, applied before the first connection initialises SQLite (they are
    /// refused, harmlessly, once it has).
    private static let configured: Void = { _ = tracking_sqlite_disable_memory_statistics() }()

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    package func query(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        let (statement, cached) = try prepare(sql)
        defer { release(statement, cached: cached) }
        try bind(binds, to: statement, sql: sql)
        var rows: [SQLRow] = []
        let columns = sqlite3_column_count(statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql: sql) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for i in 0..<columns {
                values.append(column(statement, i))
            }
            rows.append(SQLRow(values))
        }
        return rows
    }

    package func forEachRow(_ sql: String, _ binds: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
        let (statement, cached) = try prepare(sql)
        defer { release(statement, cached: cached) }
        try bind(binds, to: statement, sql: sql)
        let columns = sqlite3_column_count(statement)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(columns))
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql: sql) }
            values.removeAll(keepingCapacity: true)
            for i in 0..<columns {
                values.append(column(statement, i))
            }
            try body(SQLRow(values))
        }
    }

    package func execute(_ sql: String, _ binds: [SQLValue]) throws {
        let (statement, cached) = try prepare(sql)
        defer { release(statement, cached: cached) }
        try bind(binds, to: statement, sql: sql)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql: sql) }
        }
    }

    /// How long a statement waits for another process's lock before failing with SQLITE_BUSY (ms).
    static let busyTimeout: Int32 = 10_000

    /// `BEGIN IMMEDIATE` if the write lock is free now, without waiting for it: false when another
    /// process holds it.
    func beginImmediateWithoutWaiting() throws -> Bool {
        sqlite3_busy_timeout(handle, 0)
        defer { sqlite3_busy_timeout(handle, Self.busyTimeout) }
        do {
            try executeScript("BEGIN IMMEDIATE")
            return true
        } catch let error as DatabaseError where error.kind == .busy {
            return false
        }
    }

    package func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(message)
            throw DatabaseError(kind(rc), text, sql: String(sql.prefix(200)))
        }
    }

    /// The statement for `sql`, from the cache or new; a new one is kept while the cache has room.
    private func prepare(_ sql: String) throws -> (OpaquePointer, cached: Bool) {
        if let cached = statements[sql] { return (cached, true) }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql: sql) }
        // Statements built per request (IN lists of varying length) are not worth keeping: past the
        // cache's room they are finalized after use.
        guard statements.count < Self.cachedStatementLimit else { return (statement, false) }
        statements[sql] = statement
        return (statement, true)
    }

    private static let cachedStatementLimit = 512

    /// Back to the cache ready for the next use, or gone.
    private func release(_ statement: OpaquePointer, cached: Bool) {
        if cached {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        } else {
            sqlite3_finalize(statement)
        }
    }

    /// The statements SQLite holds for this connection, cached or not (every one not finalized).
    package var liveStatementCount: Int {
        var count = 0
        var next = sqlite3_next_stmt(handle, nil)
        while let statement = next {
            count += 1
            next = sqlite3_next_stmt(handle, statement)
        }
        return count
    }

    private func bind(_ binds: [SQLValue], to statement: OpaquePointer, sql: String) throws {
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .int(let n): rc = sqlite3_bind_int64(statement, index, n)
            case .double(let d): rc = sqlite3_bind_double(statement, index, d)
            case .bool(let b): rc = sqlite3_bind_int64(statement, index, b ? 1 : 0)
            case .null: rc = sqlite3_bind_null(statement, index)
            case .texts, .doubles, .ints, .bools:
                throw DatabaseError(.other, "array parameters are PostgreSQL only", sql: sql)
            case .text(let s):
                rc = s.utf8.withContiguousStorageIfAvailable { buffer in
                    sqlite3_bind_text(
                        statement, index, UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self),
                        Int32(buffer.count), sqliteTransient)
                } ?? sqlite3_bind_text(statement, index, s, -1, sqliteTransient)
            }
            guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
        }
    }

    private func column(_ statement: OpaquePointer, _ i: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, i))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(statement, i) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    private func error(_ rc: Int32, sql: String) -> DatabaseError {
        DatabaseError(kind(rc), String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    private func kind(_ rc: Int32) -> DatabaseError.Kind {
        switch rc & 0xff {
        case SQLITE_CONSTRAINT: .constraint
        case SQLITE_BUSY, SQLITE_LOCKED: .busy
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL: .unavailable
        default: .other
        }
    }
}

/// SQLite copies bound text when given this destructor value.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
