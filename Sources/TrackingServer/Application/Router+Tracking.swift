#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import HTTPTypes
import NIOCore
import TrackingCore

/// The URL prefixes MLflow serves its REST API under; the UI uses the `ajax-api` one.
enum APIPrefix {
    static let api = "/api/2.0/mlflow/"
    static let ajax = "/ajax-api/2.0/mlflow/"
}

/// Largest request body read; MLflow's own limit on a log-batch body is 1 MB of JSON.
let maxRequestBody = 16 * 1024 * 1024

/// Builds the router: every MLflow endpoint under both prefixes, the fixed probes, and the error
/// middleware that gives unknown routes MLflow's JSON error.
package func buildRouter(store: any ServerStore) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    let metrics = MetricsAPI(store: store)
    let endpoints = ExperimentsAPI(store: store).endpoints + RunsAPI(store: store).endpoints + metrics.endpoints
        + SearchAPI(store: store).endpoints + registryEndpoints(store: store)
    var known: Set<String> = []
    var routes: [(String, Endpoint)] = []
    for endpoint in endpoints {
        routes.append((APIPrefix.api + endpoint.path, endpoint))
        routes.append((APIPrefix.ajax + endpoint.path, endpoint))
    }
    for endpoint in metrics.ajaxOnlyEndpoints {
        routes.append((APIPrefix.ajax + endpoint.path, endpoint))
    }
    let fixed = ["/health", "/version", "/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info"]
    known.formUnion(routes.map(\.0))
    known.formUnion(fixed)
    router.add(middleware: ErrorMiddleware(knownPaths: known))

    for (path, endpoint) in routes {
        let handler = endpoint.handler
        let (routerPath, names) = pathParameters(path)
        router.on(RouterPath(routerPath), method: endpoint.method) { request, context -> Response in
            var params = try await RequestParams.read(request)
            for name in names { params.path[name] = context.parameters.get(name) }
            return Response.json(try await handler(params))
        }
    }
    router.get("/health") { _, _ in Response.text("OK") }
    router.get("/version") { _, _ in Response.text(ServerInfoAPI.mlflowVersion, contentType: "text/html; charset=utf-8") }
    router.get("/api/3.0/mlflow/server-info") { _, _ in Response.json(ServerInfoAPI.serverInfo()) }
    router.get("/ajax-api/3.0/mlflow/server-info") { _, _ in Response.json(ServerInfoAPI.serverInfo()) }
    return router
}

extension RequestParams {
    /// GET reads the query string; every other method reads a JSON body, after MLflow's content-type check.
    static func read(_ request: Request) async throws -> RequestParams {
        if request.method == .get {
            return RequestParams(query: request.uri.query)
        }
        let buffer = try await request.body.collect(upTo: maxRequestBody)
        if request.method == .post || request.method == .put {
            guard let contentType = request.headers[.contentType] else {
                throw TrackingError.invalidParameter("Bad Request. Content-Type header is missing.")
            }
            let mediaType = contentType.split(separator: ";").first.map { String($0).trimmedWhitespace.lowercased() }
            guard mediaType == "application/json" else {
                throw TrackingError.invalidParameter("Bad Request. Content-Type must be one of ['application/json'].")
            }
        }
        return RequestParams(body: Array(buffer.readableBytesView))
    }
}
