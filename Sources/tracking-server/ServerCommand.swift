import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import Logging
import TrackingServer
import TrackingStore

/// `tracking-server server`: the options of `mlflow server` that apply here, with the same
/// environment variables as fallbacks.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the tracking server (REST API under /api/2.0/mlflow and /ajax-api/2.0/mlflow).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Address to listen on. Env: MLFLOW_HOST. Default: 127.0.0.1."))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on. Env: MLFLOW_PORT. Default: 5000."))
    var port: String?

    @Option(
        help: ArgumentHelp(
            "Accepted for compatibility with `mlflow server`. This server is one process whose event loops "
                + "use every core, so it starts no worker processes; scale out with replicas instead. "
                + "Env: MLFLOW_WORKERS."))
    var workers: String?

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

    /// Every option as typed, for the resolver.
    var options: ServerOptions {
        var options = database.serverOptions
        options.host = host
        options.port = port
        options.workers = workers
        options.staticUIDir = staticUiDir
        options.allowedHosts = allowedHosts
        options.corsAllowedOrigins = corsAllowedOrigins
        options.xFrameOptions = xFrameOptions
        return options
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try ServerConfiguration.resolve(
            options, environment: environment, workingDirectory: FileManager.default.currentDirectoryPath)
        var logger = Logger(label: "tracking-server")
        logger.logLevel = configuration.logLevel
        if case .fixed(let bundle?) = configuration.uiBundle {
            logger.info("serving the web UI", metadata: ["static_ui_dir": "\(bundle.directory)"])
        }
        if let workers = configuration.workers, workers != 1 {
            logger.info("--workers \(workers) accepted for compatibility; this server runs as one process")
        }
        let (uri, database) = try Database.open(configuration.database, environment: environment, logger: logger)
        let root = configuration.database.defaultArtifactRoot
        // The pool runs in the application's service group; the schema is readied once it runs,
        // before the server takes its first request.
        let app = try buildApplication(
            configuration: configuration, store: SQLTrackingStore(database: database, defaultArtifactRoot: root),
            services: [database],
            beforeServerStarts: { [logger] in
                do {
                    try await StoreBootstrap.prepareSchema(database, defaultArtifactRoot: root)
                } catch {
                    throw Database.cannotOpen(uri, configuration.database, error)
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
}
