import Logging
import TrackingCore

/// Opens the database named by a backend URI and readies MLflow's schema on it.
package enum StoreBootstrap {
    /// PostgreSQL connections per server process unless told otherwise; SQLite keeps one writer
    /// and a few readers whatever this says.
    package static let defaultPoolSize = 10

    package static func openDatabase(
        _ uri: BackendURI, poolSize: Int = defaultPoolSize, logger: Logger = Logger(label: "tracking-server")
    ) throws -> any SQLDatabase {
        switch uri {
        case .sqlite(let path): try SQLitePool(path: path)
        case .postgres(let settings): try PostgresPool(settings: settings, maximumConnections: poolSize, logger: logger)
        }
    }

    /// Opens the database, creates the schema when it is empty (refusing another revision), and
    /// returns the store over it.
    package static func open(
        uri: BackendURI, defaultArtifactRoot: String, poolSize: Int = defaultPoolSize,
        logger: Logger = Logger(label: "tracking-server")
    ) async throws -> SQLTrackingStore {
        let database = try openDatabase(uri, poolSize: poolSize, logger: logger)
        do {
            try await SchemaManager(database: database).prepare(
                defaultArtifactRoot: defaultArtifactRoot, now: SQLTrackingStore.currentTimeMillis())
        } catch {
            await database.close()
            throw error
        }
        return SQLTrackingStore(database: database, defaultArtifactRoot: defaultArtifactRoot)
    }
}
