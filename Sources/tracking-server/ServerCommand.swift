import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import Logging
import TrackingCore
import TrackingServer
import TrackingStore

/// `tracking-server server`: the options of `mlflow server` that apply here, with the same
/// environment variables as fallbacks.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the tracking server (REST API under /api/2.0/mlflow and /ajax-api/2.0/mlflow).")

    @Option(
        help: ArgumentHelp(
            "Where experiments and runs are stored: sqlite:///relative.db, sqlite:////absolute/path.db, or "
                + "postgresql://user:password@host:5432/database (also postgresql+psycopg2://, postgres://, "
                + "?sslmode=..., ?host=/unix/socket/dir; a missing password is taken from PGPASSWORD). "
                + "Env: MLFLOW_BACKEND_STORE_URI. Default: sqlite:///mlflow.db in the working directory."))
    var backendStoreUri: String?

    @Option(
        help: ArgumentHelp(
            "Root of the artifact locations handed to new experiments (<root>/<experiment_id>); clients write "
                + "artifacts there themselves, this server stores none. A file:// URI or an object-store URI "
                + "(s3://bucket/path, gs://...). Env: MLFLOW_DEFAULT_ARTIFACT_ROOT. "
                + "Default: file://<working directory>/mlartifacts."))
    var defaultArtifactRoot: String?

    @Option(help: ArgumentHelp("Address to listen on. Env: MLFLOW_HOST. Default: 127.0.0.1."))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on. Env: MLFLOW_PORT. Default: 5000."))
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "Accepted for compatibility with `mlflow server`. This server is one process whose event loops "
                + "use every core, so it starts no worker processes; scale out with replicas instead. "
                + "Env: MLFLOW_WORKERS."))
    var workers: Int?

    @Option(
        help: ArgumentHelp(
            "PostgreSQL connections this process keeps at most (SQLite always uses one writer and four "
                + "readers). Env: MLFLOW_SQLALCHEMYSTORE_POOL_SIZE. Default: \(StoreBootstrap.defaultPoolSize)."))
    var dbPoolSize: Int?

    @Option(
        help: ArgumentHelp(
            "Directory of MLflow's prebuilt web UI (index.html and static/). Env: MLFLOW_STATIC_UI_DIR. "
                + "Default: mlflow/server/js/build of the mlflow package installed for python3, if any."))
    var staticUiDir: String?

    @Option(
        help: ArgumentHelp(
            "Comma-separated Host header patterns to accept (fnmatch, e.g. mlflow.example.com,10.*), against DNS "
                + "rebinding; * accepts any. /health and /version are always answered. Env: MLFLOW_SERVER_ALLOWED_HOSTS. "
                + "Default: localhost, 127.0.0.1, [::1], 0.0.0.0 on any port and private network addresses."))
    var allowedHosts: String?

    @Option(
        help: ArgumentHelp(
            "Comma-separated origins (fnmatch patterns) allowed to call the API from a browser besides localhost; * "
                + "allows all without credentials. Env: MLFLOW_SERVER_CORS_ALLOWED_ORIGINS."))
    var corsAllowedOrigins: String?

    @Option(
        help: ArgumentHelp(
            "X-Frame-Options header: SAMEORIGIN (default), DENY, or NONE to send none. "
                + "Env: MLFLOW_SERVER_X_FRAME_OPTIONS."))
    var xFrameOptions: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "tracking-server")
        logger.logLevel = Logger.Level(rawValue: environment["LOG_LEVEL"]?.lowercased() ?? "") ?? .info
        let configuration = ServerConfiguration(
            host: host ?? environment["MLFLOW_HOST"] ?? "127.0.0.1",
            port: try port ?? environment["MLFLOW_PORT"].map(Self.parsePort) ?? 5000,
            backendStoreURI: backendStoreUri ?? environment["MLFLOW_BACKEND_STORE_URI"] ?? "sqlite:///mlflow.db",
            defaultArtifactRoot: Self.artifactRoot(defaultArtifactRoot ?? environment["MLFLOW_DEFAULT_ARTIFACT_ROOT"]),
            uiBundle: try Self.uiBundle(staticUiDir ?? environment["MLFLOW_STATIC_UI_DIR"], logger: logger),
            security: SecuritySettings(
                allowedHosts: allowedHosts ?? environment["MLFLOW_SERVER_ALLOWED_HOSTS"],
                corsAllowedOrigins: corsAllowedOrigins ?? environment["MLFLOW_SERVER_CORS_ALLOWED_ORIGINS"],
                xFrameOptions: xFrameOptions ?? environment["MLFLOW_SERVER_X_FRAME_OPTIONS"]),
            graphQLLimits: GraphQLQueryLimits(environment: environment))
        if let workers = workers ?? environment["MLFLOW_WORKERS"].flatMap({ Int($0) }), workers != 1 {
            logger.info("--workers \(workers) accepted for compatibility; this server runs as one process")
        }
        let uri = try BackendURI(configuration.backendStoreURI)
        let poolSize = dbPoolSize ?? environment["MLFLOW_SQLALCHEMYSTORE_POOL_SIZE"].flatMap { Int($0) }
        let database: any SQLDatabase
        do {
            database = try StoreBootstrap.openDatabase(uri, poolSize: poolSize ?? StoreBootstrap.defaultPoolSize, logger: logger)
        } catch {
            throw ValidationError("cannot open \(uri): \(error)")
        }
        let root = configuration.defaultArtifactRoot
        let store = SQLTrackingStore(database: database, defaultArtifactRoot: root)
        // The pool runs in the application's service group; the schema is readied once it runs,
        // before the server takes its first request.
        let app = try buildApplication(
            configuration: configuration, store: store, services: [database],
            beforeServerStarts: { [logger] in
                do {
                    try await StoreBootstrap.prepareSchema(database, defaultArtifactRoot: root)
                } catch {
                    throw ValidationError("cannot open \(uri): \(error)")
                }
                logger.info(
                    "serving MLflow tracking API",
                    metadata: [
                        "address": "http://\(configuration.host):\(configuration.port)", "backend": "\(uri)",
                        "artifact_root": "\(root)",
                    ])
            }, logger: logger)
        try await app.runService()
        await database.close()
    }

    /// The UI bundle named by the option, else the installed mlflow package's; a named directory
    /// without the bundle is an error, a missing package only a notice.
    static func uiBundle(_ directory: String?, logger: Logger) throws -> UIBundleSource {
        guard let directory, !directory.isEmpty else { return .installedMLflow }
        guard let bundle = UIBundle(directory: directory) else {
            throw ValidationError("--static-ui-dir \(directory) holds no index.html (expected mlflow/server/js/build)")
        }
        logger.info("serving the web UI", metadata: ["static_ui_dir": "\(directory)"])
        return .fixed(bundle)
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else { throw ValidationError("invalid MLFLOW_PORT '\(text)'") }
        return port
    }

    /// An absolute `file://` URI for local paths, as MLflow resolves a relative artifact root.
    static func artifactRoot(_ given: String?) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        guard let given, !given.isEmpty else { return "file://\(cwd)/mlartifacts" }
        if given.contains("://") || given.hasPrefix("file:") { return given }
        let path = given.hasPrefix("/") ? given : "\(cwd)/\(given)"
        return "file://\(PosixPath.normalize(path))"
    }
}
