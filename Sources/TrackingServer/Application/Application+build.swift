import Hummingbird
import Logging
import ServiceLifecycle
import TrackingCore

/// Builds the HTTP application over a store: the router and the server configuration.
/// - Parameters:
///   - services: what the store needs running while the server serves (the database's pool); the
///     application's service group starts them, and on graceful shutdown stops them after the
///     server has answered its last request.
///   - beforeServerStarts: work that needs those services before the first request (the schema).
package func buildApplication(
    configuration: ServerConfiguration, store: any ServerStore, services: [any Service] = [],
    beforeServerStarts: @escaping @Sendable () async throws -> Void = {}, logger: Logger
) throws -> some ApplicationProtocol {
    let router = try buildRouter(
        store: store, uiBundle: configuration.uiBundle, logger: logger, security: configuration.security,
        graphQLLimits: configuration.graphQLLimits)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: services,
        logger: logger)
    app.beforeServerStarts(perform: beforeServerStarts)
    return app
}
