import Logging
import Testing
import TrackingCore
import TrackingServer
import TrackingStore

/// Options, then environment variables, then defaults, resolved once; each bad value is one error
/// naming the option or variable it came from.
@Suite("Server configuration")
struct ServerConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        var options = ServerOptions()
        var environment: [String: String] = [:]
        let expected: Result<ServerConfiguration, ConfigurationError>

        var testDescription: String { name }
    }

    static let defaults = ServerConfiguration(
        host: "127.0.0.1", port: 5000,
        database: DatabaseConfiguration(backendStoreURI: "sqlite:///mlflow.db", defaultArtifactRoot: "file:///work/mlartifacts"),
        uiBundle: .installedMLflow)

    static func with(_ change: (inout ServerConfiguration) -> Void) -> Result<ServerConfiguration, ConfigurationError> {
        var configuration = defaults
        change(&configuration)
        return .success(configuration)
    }

    static let cases: [Case] = [
        Case(name: "defaults", expected: .success(defaults)),
        Case(
            name: "environment only",
            environment: [
                "MLFLOW_HOST": "0.0.0.0", "MLFLOW_PORT": "8080", "MLFLOW_BACKEND_STORE_URI": "postgresql://h/db",
                "MLFLOW_DEFAULT_ARTIFACT_ROOT": "art/../artifacts", "MLFLOW_SQLALCHEMYSTORE_POOL_SIZE": "4",
                "MLFLOW_WORKERS": "2", "LOG_LEVEL": "DEBUG", "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS": "3",
                "MLFLOW_SERVER_GRAPHQL_MAX_ALIASES": "4", "MLFLOW_SERVER_ALLOWED_HOSTS": "*",
                "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS": "https://a.example", "MLFLOW_SERVER_X_FRAME_OPTIONS": "DENY",
            ],
            expected: with {
                $0.host = "0.0.0.0"
                $0.port = 8080
                $0.database = DatabaseConfiguration(
                    backendStoreURI: "postgresql://h/db", defaultArtifactRoot: "file:///work/artifacts", poolSize: 4,
                    backendStoreURIName: "MLFLOW_BACKEND_STORE_URI")
                $0.workers = 2
                $0.logLevel = .debug
                $0.graphQLLimits = GraphQLQueryLimits(maxRootFields: 3, maxAliases: 4)
                $0.security = SecuritySettings(allowedHosts: "*", corsAllowedOrigins: "https://a.example", xFrameOptions: "DENY")
            }),
        Case(
            name: "options before environment",
            options: ServerOptions(
                backendStoreURI: "sqlite:////data/x.db", defaultArtifactRoot: "s3://bucket/path", dbPoolSize: "2",
                host: "::", port: "9000", workers: "1", xFrameOptions: "NONE"),
            environment: [
                "MLFLOW_PORT": "8080", "MLFLOW_BACKEND_STORE_URI": "postgresql://h/db", "MLFLOW_SQLALCHEMYSTORE_POOL_SIZE": "x",
                "MLFLOW_DEFAULT_ARTIFACT_ROOT": "/elsewhere", "MLFLOW_SERVER_X_FRAME_OPTIONS": "DENY", "LOG_LEVEL": "",
            ],
            expected: with {
                $0.host = "::"
                $0.port = 9000
                $0.database = DatabaseConfiguration(
                    backendStoreURI: "sqlite:////data/x.db", defaultArtifactRoot: "s3://bucket/path", poolSize: 2)
                $0.workers = 1
                $0.security = SecuritySettings(xFrameOptions: "NONE")
            }),
        Case(
            name: "absolute artifact root normalized",
            options: ServerOptions(defaultArtifactRoot: "/srv/./a//b/../c"),
            expected: with { $0.database.defaultArtifactRoot = "file:///srv/a/c" }),
        Case(
            name: "port not a number", options: ServerOptions(port: "abc"),
            expected: .failure(ConfigurationError("--port", "'abc' is not an integer from 0 to 65535"))),
        Case(
            name: "port out of range", environment: ["MLFLOW_PORT": "70000"],
            expected: .failure(ConfigurationError("MLFLOW_PORT", "'70000' is not an integer from 0 to 65535"))),
        Case(
            name: "pool size zero", options: ServerOptions(dbPoolSize: "0"),
            expected: .failure(ConfigurationError("--db-pool-size", "'0' is not an integer of at least 1"))),
        Case(
            name: "pool size from the environment", environment: ["MLFLOW_SQLALCHEMYSTORE_POOL_SIZE": "ten"],
            expected: .failure(ConfigurationError("MLFLOW_SQLALCHEMYSTORE_POOL_SIZE", "'ten' is not an integer of at least 1"))),
        Case(
            name: "workers", options: ServerOptions(workers: "0"),
            expected: .failure(ConfigurationError("--workers", "'0' is not an integer of at least 1"))),
        Case(
            name: "log level", environment: ["LOG_LEVEL": "loud"],
            expected: .failure(
                ConfigurationError("LOG_LEVEL", "'loud' is not a log level (trace, debug, info, notice, warning, error, critical)"))),
        Case(
            name: "GraphQL limit", environment: ["MLFLOW_SERVER_GRAPHQL_MAX_ALIASES": "many"],
            expected: .failure(ConfigurationError("MLFLOW_SERVER_GRAPHQL_MAX_ALIASES", "'many' is not an integer of at least 0"))),
        Case(
            name: "UI directory without a bundle", environment: ["MLFLOW_STATIC_UI_DIR": "/nowhere"],
            expected: .failure(
                ConfigurationError("MLFLOW_STATIC_UI_DIR", "/nowhere holds no index.html (expected mlflow/server/js/build)"))),
    ]

    @Test(arguments: cases)
    func resolve(_ testCase: Case) {
        let resolved = Result { () throws(ConfigurationError) in
            try ServerConfiguration.resolve(
                testCase.options, environment: testCase.environment, workingDirectory: "/work", loadUIBundle: { _ in nil })
        }
        #expect(resolved == testCase.expected)
    }

    /// The resolver's default pool size is the store's.
    @Test func defaultPoolSizeIsTheStores() {
        #expect(DatabaseConfiguration.defaultPoolSize == StoreBootstrap.defaultPoolSize)
    }
}
