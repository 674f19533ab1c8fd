/// The command line's options as typed, nil when absent: what `ServerConfiguration.resolve` reads
/// before the environment and the defaults. Numbers stay text so that a bad one is reported by
/// the resolver, naming the option, like any other invalid value.
package struct ServerOptions: Sendable, Equatable {
    package var backendStoreURI: String?
    package var defaultArtifactRoot: String?
    package var dbPoolSize: String?
    package var host: String?
    package var port: String?
    package var workers: String?
    package var staticUIDir: String?
    package var allowedHosts: String?
    package var corsAllowedOrigins: String?
    package var xFrameOptions: String?

    package init(
        backendStoreURI: String? = nil, defaultArtifactRoot: String? = nil, dbPoolSize: String? = nil, host: String? = nil,
        port: String? = nil, workers: String? = nil, staticUIDir: String? = nil, allowedHosts: String? = nil,
        corsAllowedOrigins: String? = nil, xFrameOptions: String? = nil
    ) {
        self.backendStoreURI = backendStoreURI
        self.defaultArtifactRoot = defaultArtifactRoot
        self.dbPoolSize = dbPoolSize
        self.host = host
        self.port = port
        self.workers = workers
        self.staticUIDir = staticUIDir
        self.allowedHosts = allowedHosts
        self.corsAllowedOrigins = corsAllowedOrigins
        self.xFrameOptions = xFrameOptions
    }
}

/// An option or environment variable whose value cannot be used: one line naming it, for the
/// command line to print instead of a usage text.
package struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option or variable the value came from (`--port`, `MLFLOW_PORT`).
    package let name: String
    package let message: String

    package init(_ name: String, _ message: String) {
        self.name = name
        self.message = message
    }

    package var description: String { "\(name): \(message)" }
}
