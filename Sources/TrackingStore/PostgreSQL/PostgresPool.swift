import Logging
import NIOSSL
import PostgresNIO
import Synchronization

/// A PostgreSQL database through PostgresNIO's connection pool. Every request runs in its own
/// transaction on one pooled connection; write transactions that lose a race to another server
/// (unique key taken meanwhile, deadlock, serialization failure) are run again from the start.
package final class PostgresPool: SQLDatabase {
    package var dialect: SQLDialect { .postgres }
    package var runSearchPlan: any RunSearchPlan { PostgresRunSearchPlan() }

    private let client: PostgresClient
    private let logger: Logger
    /// How long a request waits for a connection before answering 503 instead of hanging.
    private let acquireTimeout: Duration

    package init(
        settings: PostgresSettings, maximumConnections: Int = 10, acquireTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "tracking-server.postgres")
    ) throws {
        var configuration: PostgresClient.Configuration
        switch settings.endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: settings.user, password: settings.password,
                database: settings.database, tls: try Self.tls(for: settings.sslMode))
        case .unixSocket(let path):
            configuration = .init(
                unixSocketPath: path, username: settings.user, password: settings.password, database: settings.database)
        }
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.minimumConnections = 0
        configuration.options.connectTimeout = .seconds(5)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.acquireTimeout = acquireTimeout
    }

    /// Runs PostgresNIO's pool (connecting, keeping alive, handing out connections) until a
    /// graceful shutdown or cancellation, then closes its connections.
    package func run() async {
        await client.run()
    }

    /// libpq's sslmode on NIOSSL: `prefer`/`allow` try TLS and fall back, `require` encrypts without
    /// checking the certificate, `verify-ca` checks the chain, `verify-full` the host name too.
    private static func tls(for mode: PostgresSettings.SSLMode) throws -> PostgresClient.Configuration.TLS {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch mode {
        case .disable: return .disable
        case .allow, .prefer: return .prefer(unverified)
        case .require: return .require(unverified)
        case .verifyCA:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .noHostnameVerification
            return .require(configuration)
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }

    package func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await DatabaseError.mappedAtStoreEdge {
            try await retryingRaces(constraintToo: true) { try await self.transaction(readOnly: false, body) }
        }
    }

    package func statement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        // One fixed statement meets the same key again when run again: only deadlocks are retried.
        return try await DatabaseError.mappedAtStoreEdge {
            try await retryingRaces(constraintToo: false) {
                try await self.withConnection { connection in try await body(PostgresSQLConnection(connection, logger: logger)) }
            }
        }
    }

    private func retryingRaces<T: Sendable>(constraintToo: Bool, _ attemptWrite: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await attemptWrite()
            } catch let error as DatabaseError
                where (error.kind == .busy || (constraintToo && error.kind == .constraint)) && attempt < 4
            {
                logger.debug("retrying a write transaction", metadata: ["reason": "\(error.message)"])
                continue
            }
        }
    }

    package func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) async throws -> T) async throws -> T {
        try await DatabaseError.mappedAtStoreEdge { try await transaction(readOnly: true, body) }
    }

    private func transaction<T: Sendable>(
        readOnly: Bool, _ body: @escaping @Sendable (any SQLConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            let wrapped = PostgresSQLConnection(connection, logger: logger)
            // REPEATABLE READ gives a read one snapshot across its statements, as SQLite's does.
            try await wrapped.executeScript(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
            do {
                let result = try await body(wrapped)
                try await wrapped.executeScript("COMMIT")
                return result
            } catch {
                try? await wrapped.executeScript("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` on a pooled connection. Waiting for the connection gives up with `unavailable`
    /// after `acquireTimeout` (database down, or every connection stuck), so requests fail fast
    /// instead of hanging; once the body has started it is never cut off.
    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let state = LeaseWait()
        let client = self.client
        let timeout = acquireTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard state.claim(.started) else { throw CancellationError() }
                        do {
                            return try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                                try await body(connection)
                            }
                        } catch {
                            throw FromBody(error: error)
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    if state.claim(.timedOut) { throw DatabaseError(.unavailable, "no database connection within \(timeout)") }
                    return nil
                }
                while let result = try await group.next() {
                    if let result {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        } catch let error as FromBody {
            throw error.error
        } catch let error as DatabaseError {
            throw error
        } catch {
            // Only the pool is left: it could not hand out a connection.
            throw DatabaseError(postgres: error, sql: nil)
        }
    }

    /// What the transaction body threw, told apart from the pool's own failures.
    private struct FromBody: Error {
        let error: any Error
    }

    /// Whether a request got its connection or gave up first; decided once, under the lock.
    private final class LeaseWait: Sendable {
        enum State { case waiting, started, timedOut }
        private let value = Mutex(State.waiting)

        /// Moves from waiting to `outcome`; false when the other side got there first.
        func claim(_ outcome: State) -> Bool {
            value.withLock { state in
                guard state == .waiting else { return false }
                state = outcome
                return true
            }
        }
    }

    /// Nothing left to do: the connections closed when `run()` ended.
    package func close() async {}
}
