import Foundation
import Testing
import TrackingStore

@Suite("SQLite connection")
struct SQLiteConnectionTests {
    /// Statements past the cache's room (SQL built per request, such as IN lists of every length)
    /// are finalized after use, not kept alive for the life of the connection.
    @Test func statementsBeyondTheCacheAreFinalized() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stmts-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let connection = try SQLiteConnection(path: path)
        for n in 0..<700 {
            let rows = try connection.query("SELECT ? + \(n)", [.int(1)])
            #expect(rows.first?.int(0) == Int64(n + 1))
        }
        #expect(connection.liveStatementCount <= 512)
        // A cached statement is reused, not prepared again.
        _ = try connection.query("SELECT ? + 0", [.int(1)])
        #expect(connection.liveStatementCount <= 512)
    }
}
