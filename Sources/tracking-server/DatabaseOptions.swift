import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import TrackingCore
import TrackingServer
import TrackingStore

/// The options naming the database, shared by `server` and the `db` commands.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Where experiments and runs are stored: sqlite:///relative.db, sqlite:////absolute/path.db, or "
                + "postgresql://user:password@host:5432/database (also postgresql+psycopg2://, postgres://, "
                + "?sslmode=..., ?host=/unix/socket/dir; missing parts are taken from PGHOST, PGPORT, PGUSER, "
                + "PGPASSWORD, PGDATABASE, PGSSLMODE). "
                + "Env: MLFLOW_BACKEND_STORE_URI. Default: sqlite:///mlflow.db in the working directory."))
    var backendStoreUri: String?

    @Option(
        help: ArgumentHelp(
            "Root of the artifact locations handed to new experiments (<root>/<experiment_id>); clients write "
                + "artifacts there themselves, this server stores none. A file:// URI or an object-store URI "
                + "(s3://bucket/path, gs://...). Env: MLFLOW_DEFAULT_ARTIFACT_ROOT. "
                + "Default: file://<working directory>/mlartifacts."))
    var defaultArtifactRoot: String?

    @Option(
        help: ArgumentHelp(
            "PostgreSQL connections this process keeps at most (SQLite always uses one writer and four "
                + "readers). Env: MLFLOW_SQLALCHEMYSTORE_POOL_SIZE. Default: \(DatabaseConfiguration.defaultPoolSize)."))
    var dbPoolSize: String?

    /// These options as the resolver reads them.
    var serverOptions: ServerOptions {
        ServerOptions(backendStoreURI: backendStoreUri, defaultArtifactRoot: defaultArtifactRoot, dbPoolSize: dbPoolSize)
    }
}

/// Opening the configured database, the same way for `server` and the `db` commands: a URI or a
/// database that cannot be used is one `ConfigurationError` naming where the URI came from.
enum Database {
    /// The backend URI, its missing parts from the `PG*` variables of `environment`.
    static func uri(_ configuration: DatabaseConfiguration, environment: [String: String]) throws(ConfigurationError)
        -> BackendURI
    {
        do {
            return try BackendURI(configuration.backendStoreURI, environment: environment)
        } catch {
            throw ConfigurationError(configuration.backendStoreURIName, detail(error))
        }
    }

    /// The parsed URI and its pool, not yet running (the server's service group runs it).
    static func open(_ configuration: DatabaseConfiguration, environment: [String: String], logger: Logger)
        throws(ConfigurationError) -> (BackendURI, any SQLDatabase)
    {
        let uri = try uri(configuration, environment: environment)
        do {
            return (uri, try StoreBootstrap.openDatabase(uri, poolSize: configuration.poolSize, logger: logger))
        } catch {
            throw cannotOpen(uri, configuration, error)
        }
    }

    /// Opens the database, runs its pool while `body` uses it (the `db` commands have no service
    /// group), and closes it; any failure of the database is one line naming the option.
    static func withDatabase<T>(
        _ configuration: DatabaseConfiguration, environment: [String: String], logger: Logger,
        _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let uri = try uri(configuration, environment: environment)
        do {
            return try await StoreBootstrap.withDatabase(uri, poolSize: configuration.poolSize, logger: logger, body)
        } catch {
            throw cannotOpen(uri, configuration, error)
        }
    }

    /// `<option>: cannot open <uri, password masked>: <what failed>`.
    static func cannotOpen(_ uri: BackendURI, _ configuration: DatabaseConfiguration, _ error: any Error) -> ConfigurationError {
        ConfigurationError(configuration.backendStoreURIName, "cannot open \(uri): \(detail(error))")
    }

    /// The cause of a store's failure (the database's own message) rather than the client's text.
    private static func detail(_ error: any Error) -> String {
        guard let error = error as? TrackingError else { return "\(error)" }
        return error.cause ?? error.message
    }
}
