import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import TrackingServer
import TrackingStore

/// `tracking-server db`: schema management without starting the server (migration jobs, init containers).
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create or inspect MLflow's schema in a database.",
        subcommands: [Upgrade.self, Current.self])

    struct Upgrade: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create MLflow's schema (revision \(SchemaManager.revision)) and the Default experiment on an "
                + "empty database; migrate a database at an older known revision to it, as `mlflow db upgrade` does; "
                + "do nothing on a database already at that revision; fail on any other revision.")

        @Argument(help: DatabaseCommand.urlHelp)
        var url: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let configuration = try DatabaseCommand.databaseConfiguration(url: url, database)
            let result = try await Database.withDatabase(
                configuration, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "tracking-server")
            ) { database in
                try await SchemaManager(database: database).upgrade(
                    defaultArtifactRoot: configuration.defaultArtifactRoot, now: SQLTrackingStore.currentTimeMillis())
            }
            print(result)
        }
    }

    struct Current: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the schema revision of a database.")

        @Argument(help: DatabaseCommand.urlHelp)
        var url: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let configuration = try DatabaseCommand.databaseConfiguration(url: url, database)
            let revision = try await Database.withDatabase(
                configuration, environment: ProcessInfo.processInfo.environment, logger: Logger(label: "tracking-server")
            ) { database in
                try await SchemaManager(database: database).currentRevision()
            }
            print(revision ?? "(no schema)")
        }
    }

    static let urlHelp = ArgumentHelp(
        "The database URI, e.g. sqlite:///mlflow.db or postgresql://user:password@host:5432/mlflow "
            + "(or --backend-store-uri).")

    /// The database options through the same resolver as the server's; the URI argument, when
    /// given, stands for `--backend-store-uri`. The schema's statements run one after the other, so
    /// the pool opens one connection whatever its size.
    static func databaseConfiguration(url: String?, _ options: DatabaseOptions) throws -> DatabaseConfiguration {
        var serverOptions = options.serverOptions
        serverOptions.backendStoreURI = url ?? options.backendStoreUri
        var configuration = try DatabaseConfiguration.resolve(
            serverOptions, environment: ProcessInfo.processInfo.environment,
            workingDirectory: FileManager.default.currentDirectoryPath)
        if url != nil { configuration.backendStoreURIName = "URI" }
        return configuration
    }
}
