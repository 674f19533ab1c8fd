import ServiceLifecycle
import TrackingCore

/// What the store needs of a database: statements with `?` placeholders and bound values, run on
/// one connection inside a transaction. Each backend (SQLite, PostgreSQL) implements it once; the
/// store's SQL is written once for both.
package protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns its rows (empty for statements without results).
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs a query and hands each row to `body` without collecting them (long metric histories).
    /// The row is only valid during the call.
    func forEachRow(_ sql: String, _ binds: [SQLValue], _ body: (SQLRow) throws -> Void) async throws
    /// Runs a statement that returns no rows (use `query` with RETURNING to learn what it changed).
    func execute(_ sql: String, _ binds: [SQLValue]) async throws
    /// Runs a script of several statements without binds (schema creation).
    func executeScript(_ sql: String) async throws

    // Capabilities each driver implements in its fastest form.

    /// Inserts many rows into one table: one statement of column arrays on PostgreSQL, multi-row
    /// VALUES statements on SQLite.
    func insertMany(_ insert: BulkInsert, shared: SQLValue, columns: [SQLValue]) async throws
    /// Runs a query of many rows of `columns` plain columns (numbers, booleans, text) and hands each
    /// row to `body`: PostgreSQL sends the whole result as one row of arrays, which it sends and
    /// PostgresNIO decodes far faster than row by row; SQLite steps through the rows.
    func forEachRow(many sql: String, _ binds: [SQLValue], columns: Int, _ body: (SQLRow) throws -> Void) async throws
    /// Within the current transaction, plans every statement for its bound values (PostgreSQL
    /// otherwise may switch a prepared statement to a generic plan; SQLite always plans per value).
    func planForBoundValues() async throws
}

/// A pool of connections to one database. It serves while its `run()` runs: as a service of the
/// application's service group (so graceful shutdown stops it after the last request), or around
/// a body with `StoreBootstrap.withDatabase`.
package protocol SQLDatabase: Service {
    var dialect: SQLDialect { get }
    /// How the store searches runs and reads their data on this engine.
    var runSearchPlan: any RunSearchPlan { get }
    /// Runs `body` in a read-write transaction: committed when it returns, rolled back when it throws.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body`, which issues exactly one statement, outside an explicit transaction: the
    /// statement is atomic by itself, and PostgreSQL is spared the BEGIN and COMMIT round trips.
    func statement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Runs `body` on a connection that sees one consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T
    /// Closes every connection left once `run()` has ended.
    func close() async
}

/// A database failure as the connections report it, inside the store. The store catches the kinds
/// it expects (a unique key taken: `constraint`); the pools hand every other one to the store's
/// caller as a `TrackingError` (`trackingError`), so nothing above the store sees this type.
package struct DatabaseError: Error, CustomStringConvertible {
    package enum Kind: Sendable { case constraint, busy, unavailable, other }
    package let kind: Kind
    package let message: String
    package let sql: String?

    package init(_ kind: Kind, _ message: String, sql: String? = nil) {
        self.kind = kind
        self.message = message
        self.sql = sql
    }

    package var description: String { sql.map { "\(message) [SQL: \($0)]" } ?? message }
}

extension DatabaseError {
    /// What the store's caller sees of this failure: `TEMPORARILY_UNAVAILABLE` (503) when the
    /// database could not be reached or stayed locked, else `INTERNAL_ERROR` (500); the message
    /// never holds SQL, which travels as the error's `cause` for the server's log.
    package var trackingError: TrackingError {
        switch kind {
        case .busy, .unavailable:
            TrackingError(.temporarilyUnavailable, "The database is temporarily unavailable. Try again later.", cause: description)
        case .constraint, .other:
            TrackingError(.internalError, "Internal error while accessing the database.", cause: description)
        }
    }

    /// Runs one of a pool's `read`, `write` or `statement` (after its retries) and throws a
    /// database failure as its `trackingError`: the one place where the store's edge is crossed.
    static func mappedAtStoreEdge<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError {
            throw error.trackingError
        }
    }
}
