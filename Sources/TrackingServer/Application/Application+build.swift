import Hummingbird
import Logging
import TrackingCore

/// Builds the HTTP application over a store: the router and the server configuration.
package func buildApplication(
    configuration: ServerConfiguration, store: any ServerStore, logger: Logger
) throws -> some ApplicationProtocol {
    let router = try buildRouter(
        store: store, uiBundle: configuration.uiBundle, logger: logger, security: configuration.security,
        graphQLLimits: configuration.graphQLLimits)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger)
}
