import NIOCore
import NIOPosix
import ServiceLifecycle

/// A SQLite database file: one writer connection (SQLite allows one writer at a time) and a few
/// readers that run beside it thanks to WAL mode.
package final class SQLitePool: SQLDatabase {
    private let writer: ConnectionLease<SQLiteConnection>
    private let readers: ConnectionLease<SQLiteConnection>
    /// The writer's own thread: waiting there for another process's write lock (the busy timeout,
    /// up to 10 s) blocks none of Swift's cooperative threads, which serve every other request.
    private let writerThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let writerExecutor: EventLoopTaskExecutor
    package var dialect: SQLDialect { .sqlite }
    package var runSearchPlan: any RunSearchPlan { SQLiteRunSearchPlan() }

    /// Opens `path`, switching the file to WAL mode so that reads never wait for a write.
    /// LIKE is case-sensitive, as MLflow sets it on every SQLite session.
    /// `synchronous=NORMAL` keeps every commit safe from a crash of this process; only an
    /// operating-system crash may lose the last commits. Readers map the file (`mmap_size`): a
    /// search touches pages all over a large database, and SQLite's default 2 MB page cache per
    /// connection would read most of them again with a system call each time.
    package init(path: String, readers readerCount: Int = 4) throws {
        writerExecutor = EventLoopTaskExecutor(writerThread.next())
        let writeConnection = try SQLiteConnection(path: path)
        if path != ":memory:" {
            _ = try writeConnection.query("PRAGMA journal_mode=WAL", [])
        }
        try writeConnection.executeScript("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON;")
        writer = ConnectionLease([writeConnection])
        if path == ":memory:" {
            // An in-memory database exists only on its one connection.
            readers = writer
        } else {
            var readConnections: [SQLiteConnection] = []
            for _ in 0..<max(1, readerCount) {
                let connection = try SQLiteConnection(path: path)
                try connection.executeScript(
                    "PRAGMA foreign_keys=ON; PRAGMA query_only=ON; PRAGMA case_sensitive_like=ON; PRAGMA mmap_size=\(Self.mapSize);")
                readConnections.append(connection)
            }
            readers = ConnectionLease(readConnections)
        }
    }

    /// How much of the database file readers map: 1 GiB of address space, resident only as pages are read.
    static let mapSize = 1 << 30

    package func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await DatabaseError.mappedAtStoreEdge { try await transaction(body) }
    }

    /// IMMEDIATE takes the write lock up front, so a transaction never fails half-way to upgrade it.
    /// The lock is almost always free and taken at once on the calling thread; only when another
    /// process holds it does the transaction move to the writer's thread to wait there (a hop on
    /// every write costs small writes much of their throughput: docs/performance.md). Once the lock
    /// is held, WAL lets nothing else block.
    private func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let connection = await writer.acquire()
        defer { writer.release(connection) }
        if try connection.beginImmediateWithoutWaiting() {
            return try await Self.finish(connection, body)
        }
        return try await withTaskExecutorPreference(writerExecutor) {
            try connection.executeScript("BEGIN IMMEDIATE")
            return try await Self.finish(connection, body)
        }
    }

    /// Runs `body` in the begun transaction: committed when it returns, rolled back when it throws.
    private static func finish<T: Sendable>(
        _ connection: SQLiteConnection, _ body: @escaping @Sendable (any SQLConnection) async throws -> T
    ) async throws -> T {
        do {
            let result = try await body(connection)
            try connection.executeScript("COMMIT")
            return result
        } catch {
            try? connection.executeScript("ROLLBACK")
            throw error
        }
    }

    package func statement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await write(body)
    }

    package func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await DatabaseError.mappedAtStoreEdge {
            let connection = await readers.acquire()
            defer { readers.release(connection) }
            try connection.executeScript("BEGIN")
            defer { try? connection.executeScript("COMMIT") }
            return try await body(connection)
        }
    }

    /// SQLite needs nothing in the background: waits, as a service does, for the shutdown.
    package func run() async {
        try? await gracefulShutdown()
    }

    package func close() async {
        try? await writerThread.shutdownGracefully()
        _ = writer.drain()
        _ = readers.drain()
    }
}
