import Logging

/// Where the store lives: what both `server` and the `db` commands need.
package struct DatabaseConfiguration: Sendable, Equatable {
    /// The backend URI as given (parsed, with the `PG*` variables, where the store is opened).
    package var backendStoreURI: String
    /// An absolute `file://` URI for a local path, else the URI as given.
    package var defaultArtifactRoot: String
    /// PostgreSQL connections this process keeps at most.
    package var poolSize: Int
    /// Where the backend URI came from, to name in an error (`--backend-store-uri`,
    /// `MLFLOW_BACKEND_STORE_URI`).
    package var backendStoreURIName: String

    /// PostgreSQL connections per server process unless told otherwise; SQLite keeps one writer
    /// and a few readers whatever this says.
    package static let defaultPoolSize = 10

    package init(
        backendStoreURI: String, defaultArtifactRoot: String, poolSize: Int = defaultPoolSize,
        backendStoreURIName: String = "--backend-store-uri"
    ) {
        self.backendStoreURI = backendStoreURI
        self.defaultArtifactRoot = defaultArtifactRoot
        self.poolSize = poolSize
        self.backendStoreURIName = backendStoreURIName
    }
}

/// Everything `tracking-server server` needs to run, after options and environment are resolved
/// (`resolve(_:environment:workingDirectory:)`).
package struct ServerConfiguration: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var database: DatabaseConfiguration
    /// `--workers`, accepted for compatibility only.
    package var workers: Int?
    package var logLevel: Logger.Level
    /// Where MLflow's UI files come from.
    package var uiBundle: UIBundleSource
    package var security: SecuritySettings
    package var graphQLLimits: GraphQLQueryLimits

    package init(
        host: String, port: Int, database: DatabaseConfiguration, workers: Int? = nil, logLevel: Logger.Level = .info,
        uiBundle: UIBundleSource = .fixed(nil), security: SecuritySettings = SecuritySettings(),
        graphQLLimits: GraphQLQueryLimits = GraphQLQueryLimits()
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.workers = workers
        self.logLevel = logLevel
        self.uiBundle = uiBundle
        self.security = security
        self.graphQLLimits = graphQLLimits
    }
}
