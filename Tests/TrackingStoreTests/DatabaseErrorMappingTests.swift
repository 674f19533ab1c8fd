import Testing
import TrackingCore
import TrackingStore

/// Database failures leave the store as `TrackingError`s: the status MLflow answers with, a
/// message without SQL, and the full cause kept for the server's log.
@Suite("Database failures at the store's edge")
struct DatabaseErrorMappingTests {
    @Test(arguments: [
        (DatabaseError.Kind.busy, ErrorCode.temporarilyUnavailable, "The database is temporarily unavailable. Try again later."),
        (.unavailable, .temporarilyUnavailable, "The database is temporarily unavailable. Try again later."),
        (.constraint, .internalError, "Internal error while accessing the database."),
        (.other, .internalError, "Internal error while accessing the database."),
    ])
    func kindToCode(kind: DatabaseError.Kind, code: ErrorCode, message: String) {
        let error = DatabaseError(kind, "disk I/O error", sql: "SELECT 1").trackingError
        #expect(error.code == code)
        #expect(error.message == message)
        #expect(error.cause == "disk I/O error [SQL: SELECT 1]")
    }

    @Test func aPoolThrowsTrackingErrorWithTheCause() async throws {
        let database = try SQLitePool(path: ":memory:")
        let error = await #expect(throws: TrackingError.self) {
            try await database.read { connection in try await connection.query("SELECT * FROM no_such_table", []) }
        }
        #expect(error?.code == .internalError)
        #expect(error?.message.contains("no_such_table") == false)
        #expect(error?.cause?.contains("no_such_table") == true)
        await database.close()
    }

    /// The store still sees the constraint inside its transaction and answers with its own error.
    @Test func theStoreStillCatchesConstraintsInside() async throws {
        let database = try SQLitePool(path: ":memory:")
        try await database.write { connection in try await connection.executeScript("CREATE TABLE t (k TEXT PRIMARY KEY)") }
        let error = await #expect(throws: TrackingError.self) {
            try await database.write { connection in
                try await connection.execute("INSERT INTO t VALUES ('a')", [])
                do {
                    try await connection.execute("INSERT INTO t VALUES ('a')", [])
                } catch let error as DatabaseError where error.kind == .constraint {
                    throw TrackingError(.resourceAlreadyExists, "a already exists.")
                }
            }
        }
        #expect(error == TrackingError(.resourceAlreadyExists, "a already exists."))
        await database.close()
    }
}
