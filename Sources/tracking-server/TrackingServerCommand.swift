import ArgumentParser

/// `tracking-server`: an MLflow-compatible tracking server.
@main
struct TrackingServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking-server",
        abstract: "An MLflow-compatible experiment-tracking server (MLflow 3.18.0 REST API and SQL schema).",
        subcommands: [ServerCommand.self, DatabaseCommand.self],
        defaultSubcommand: nil)
}
