import Logging
import TrackingCore

/// The one place where options, environment variables and defaults meet: each option first, then
/// the variable `mlflow server` reads for it, then MLflow's default. A value that cannot be used
/// is a `ConfigurationError` naming where it came from.
extension ServerConfiguration {
    /// The server's configuration. `loadUIBundle` reads a `--static-ui-dir` (a parameter so that
    /// the resolver's tests need no files).
    package static func resolve(
        _ options: ServerOptions, environment: [String: String], workingDirectory: String,
        loadUIBundle: (String) -> UIBundle? = { UIBundle(directory: $0) }
    ) throws(ConfigurationError) -> ServerConfiguration {
        let setting = Setting(environment: environment)
        var uiBundle = UIBundleSource.installedMLflow
        if let (directory, name) = setting.value(options.staticUIDir, "--static-ui-dir", "MLFLOW_STATIC_UI_DIR"),
            !directory.isEmpty
        {
            guard let bundle = loadUIBundle(directory) else {
                throw ConfigurationError(name, "\(directory) holds no index.html (expected mlflow/server/js/build)")
            }
            uiBundle = .fixed(bundle)
        }
        var graphQLLimits = GraphQLQueryLimits()
        if let value = try setting.integer(nil, "", "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS", in: 0...) {
            graphQLLimits.maxRootFields = value
        }
        if let value = try setting.integer(nil, "", "MLFLOW_SERVER_GRAPHQL_MAX_ALIASES", in: 0...) {
            graphQLLimits.maxAliases = value
        }
        return ServerConfiguration(
            host: setting.value(options.host, "--host", "MLFLOW_HOST")?.value ?? "127.0.0.1",
            port: try setting.integer(options.port, "--port", "MLFLOW_PORT", in: 0...65535) ?? 5000,
            database: try DatabaseConfiguration.resolve(options, environment: environment, workingDirectory: workingDirectory),
            workers: try setting.integer(options.workers, "--workers", "MLFLOW_WORKERS", in: 1...),
            logLevel: try logLevel(environment["LOG_LEVEL"]),
            uiBundle: uiBundle,
            security: SecuritySettings(
                allowedHosts: setting.value(options.allowedHosts, "--allowed-hosts", "MLFLOW_SERVER_ALLOWED_HOSTS")?.value,
                corsAllowedOrigins: setting.value(
                    options.corsAllowedOrigins, "--cors-allowed-origins", "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS")?.value,
                xFrameOptions: setting.value(options.xFrameOptions, "--x-frame-options", "MLFLOW_SERVER_X_FRAME_OPTIONS")?.value),
            graphQLLimits: graphQLLimits)
    }

    /// `LOG_LEVEL` by swift-log's names, in any case; `info` when unset or empty.
    private static func logLevel(_ text: String?) throws(ConfigurationError) -> Logger.Level {
        guard let text, !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError("LOG_LEVEL", "'\(text)' is not a log level (\(names))")
        }
        return level
    }
}

extension DatabaseConfiguration {
    /// The database options alone, as the `db` commands read them (the server reads them too).
    package static func resolve(_ options: ServerOptions, environment: [String: String], workingDirectory: String)
        throws(ConfigurationError) -> DatabaseConfiguration
    {
        let setting = Setting(environment: environment)
        let uri = setting.value(options.backendStoreURI, "--backend-store-uri", "MLFLOW_BACKEND_STORE_URI")
        return DatabaseConfiguration(
            backendStoreURI: uri?.value ?? "sqlite:///mlflow.db",
            defaultArtifactRoot: artifactRoot(
                setting.value(options.defaultArtifactRoot, "--default-artifact-root", "MLFLOW_DEFAULT_ARTIFACT_ROOT")?.value,
                workingDirectory: workingDirectory),
            poolSize: try setting.integer(options.dbPoolSize, "--db-pool-size", "MLFLOW_SQLALCHEMYSTORE_POOL_SIZE", in: 1...)
                ?? defaultPoolSize,
            backendStoreURIName: uri?.name ?? "--backend-store-uri")
    }

    /// An absolute `file://` URI for a local path, as MLflow resolves a relative artifact root;
    /// `<working directory>/mlartifacts` when none is given.
    package static func artifactRoot(_ given: String?, workingDirectory: String) -> String {
        guard let given, !given.isEmpty else { return "file://\(workingDirectory)/mlartifacts" }
        if given.contains("://") || given.hasPrefix("file:") { return given }
        let path = given.hasPrefix("/") ? given : "\(workingDirectory)/\(given)"
        return "file://\(PosixPath.normalize(path))"
    }
}

/// One value read from its option, else from its environment variable, with the name to blame.
private struct Setting {
    let environment: [String: String]

    func value(_ option: String?, _ optionName: String, _ variable: String) -> (value: String, name: String)? {
        if let option { return (option, optionName) }
        return environment[variable].map { ($0, variable) }
    }

    func integer(_ option: String?, _ optionName: String, _ variable: String, in range: PartialRangeFrom<Int>)
        throws(ConfigurationError) -> Int?
    {
        try integer(option, optionName, variable, in: range.lowerBound...Int.max)
    }

    func integer(_ option: String?, _ optionName: String, _ variable: String, in range: ClosedRange<Int>)
        throws(ConfigurationError) -> Int?
    {
        guard let (text, name) = value(option, optionName, variable) else { return nil }
        guard let number = Int(text.trimmedWhitespace), range.contains(number) else {
            let bounds = range.upperBound == Int.max ? "of at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw ConfigurationError(name, "'\(text)' is not an integer \(bounds)")
        }
        return number
    }
}
