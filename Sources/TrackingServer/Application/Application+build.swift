import Hummingbird
import Logging
import TrackingCore
import TrackingStore

/// Builds the HTTP application over a store: the router and the server configuration.
package func buildApplication(
    configuration: ServerConfiguration, store: any ServerStore, logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(store: store)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger)
}
