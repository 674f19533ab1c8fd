import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

        @Argument(help: "The database URI, e.g. sqlite:///mlflow.db or postgresql://user:password@host:5432/mlflow.")
        var url: String

        @Option(help: "Artifact root for the Default experiment created on an empty database. Env: MLFLOW_DEFAULT_ARTIFACT_ROOT.")
        var defaultArtifactRoot: String?

        func run() async throws {
            let root = ServerCommand.artifactRoot(
                defaultArtifactRoot ?? ProcessInfo.processInfo.environment["MLFLOW_DEFAULT_ARTIFACT_ROOT"])
            let database = try StoreBootstrap.openDatabase(try BackendURI(url), poolSize: 1)
            let result: SchemaManager.Upgrade
            do {
                result = try await SchemaManager(database: database).upgrade(
                    defaultArtifactRoot: root, now: SQLTrackingStore.currentTimeMillis())
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            print(result)
        }
    }

    struct Current: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the schema revision of a database.")

        @Argument(help: "The database URI, e.g. sqlite:///mlflow.db or postgresql://user:password@host:5432/mlflow.")
        var url: String

        func run() async throws {
            let database = try StoreBootstrap.openDatabase(try BackendURI(url), poolSize: 1)
            let revision: String?
            do {
                revision = try await SchemaManager(database: database).currentRevision()
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            print(revision ?? "(no schema)")
        }
    }
}
