import Logging
import ServiceLifecycle
import TrackingCore

/// Opens the database named by a backend URI and readies MLflow's schema on it.
package enum StoreBootstrap {
    /// PostgreSQL connections per server process unless told otherwise; SQLite keeps one writer
    /// and a few readers whatever this says.
    package static let defaultPoolSize = 10

    /// The database's pool, not yet serving: run it (`SQLDatabase.run()`) in a service group, or
    /// use `withDatabase`.
    package static func openDatabase(
        _ uri: BackendURI, poolSize: Int = defaultPoolSize, logger: Logger = Logger(label: "tracking-server")
    ) throws -> any SQLDatabase {
        switch uri {
        case .sqlite(let path): try SQLitePool(path: path)
        case .postgres(let settings): try PostgresPool(settings: settings, maximumConnections: poolSize, logger: logger)
        }
    }

    /// Creates the schema when the database is empty; refuses another revision.
    @discardableResult
    package static func prepareSchema(_ database: any SQLDatabase, defaultArtifactRoot: String) async throws
        -> SchemaManager.State
    {
        try await SchemaManager(database: database).prepare(
            defaultArtifactRoot: defaultArtifactRoot, now: SQLTrackingStore.currentTimeMillis())
    }

    /// Opens the database, runs its pool while `body` uses it, then stops and closes it: for the
    /// `db` commands and tests, which have no application's service group to run it in.
    package static func withDatabase<T>(
        _ uri: BackendURI, poolSize: Int = defaultPoolSize, logger: Logger = Logger(label: "tracking-server"),
        _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let database = try openDatabase(uri, poolSize: poolSize, logger: logger)
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await database.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(database))
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            return result
        }
        await database.close()
        return try result.get()
    }

    /// `withDatabase` with MLflow's schema readied and the store over it.
    package static func withStore<T>(
        uri: BackendURI, defaultArtifactRoot: String, poolSize: Int = defaultPoolSize,
        logger: Logger = Logger(label: "tracking-server"), _ body: (SQLTrackingStore) async throws -> T
    ) async throws -> T {
        try await withDatabase(uri, poolSize: poolSize, logger: logger) { database in
            try await prepareSchema(database, defaultArtifactRoot: defaultArtifactRoot)
            return try await body(SQLTrackingStore(database: database, defaultArtifactRoot: defaultArtifactRoot))
        }
    }
}
