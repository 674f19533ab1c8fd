#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TrackingCore

/// The URL prefixes MLflow serves its REST API under; the UI uses the `ajax-api` one.
enum APIPrefix {
    static let api = "/api/2.0/mlflow/"
    static let ajax = "/ajax-api/2.0/mlflow/"
    static let apiV3 = "/api/3.0/mlflow/"
    static let ajaxV3 = "/ajax-api/3.0/mlflow/"
}

/// Largest request body read; MLflow's own limit on a log-batch body is 1 MB of JSON.
let maxRequestBody = 16 * 1024 * 1024

/// Builds the router: every MLflow endpoint under both prefixes, the fixed probes, GraphQL, the web
/// UI, MLflow's security checks and headers, and the error middleware that gives unknown routes
/// MLflow's JSON error.
/// - Parameters:
///   - uiBundle: where MLflow's UI files are; without them `/` says how to get them.
///   - security: Host, origin and frame rules; the default accepts any host (tests).
///   - graphQLLimits: MLflow's root-field and alias limits for GraphQL documents.
package func buildRouter(
    store: any ServerStore, uiBundle: UIBundleSource = .fixed(nil), logger: Logger = Logger(label: "tracking-server"), security: SecuritySettings = SecuritySettings(allowedHosts: "*"),
    graphQLLimits: GraphQLQueryLimits = GraphQLQueryLimits()
) throws -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    let metrics = MetricsAPI(store: store)
    let support = UISupportAPI(store: store)
    let endpoints = ExperimentsAPI(store: store).endpoints + RunsAPI(store: store).endpoints + metrics.endpoints
        + SearchAPI(store: store).endpoints + ArtifactsAPI(store: store).endpoints + registryEndpoints(store: store)
    var known: Set<String> = []
    var routes: [(String, Endpoint)] = []
    for endpoint in endpoints {
        routes.append((APIPrefix.api + endpoint.path, endpoint))
        routes.append((APIPrefix.ajax + endpoint.path, endpoint))
    }
    for endpoint in metrics.ajaxOnlyEndpoints + support.ajaxEndpoints {
        routes.append((APIPrefix.ajax + endpoint.path, endpoint))
    }
    for endpoint in support.v3Endpoints {
        routes.append((APIPrefix.apiV3 + endpoint.path, endpoint))
        routes.append((APIPrefix.ajaxV3 + endpoint.path, endpoint))
    }
    for endpoint in support.ajaxV3Endpoints {
        routes.append((APIPrefix.ajaxV3 + endpoint.path, endpoint))
    }
    let fixed = ["/health", "/version", "/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info", "/graphql", "/", "/get-artifact", "/model-versions/get-artifact"]
    known.formUnion(routes.map(\.0))
    known.formUnion(fixed)
    router.add(middleware: SecurityMiddleware(settings: security))
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
    let graphQL = GraphQLAPI(endpoints: endpoints + support.ajaxEndpoints, limits: graphQLLimits)
    router.post("/graphql") { request, _ in try await graphQL.handle(request) }
    router.get("/graphql") { request, _ in try await graphQL.handle(request) }
    let artifacts = ArtifactDownload(store: store)
    router.get("/get-artifact") { request, context in try await artifacts.runArtifact(request, context: context) }
    router.get("/model-versions/get-artifact") { request, context in
        try await artifacts.modelVersionArtifact(request, context: context)
    }
    UIRoutes(bundle: uiBundle.resolve(logger: logger)).add(to: router)
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
        return try RequestParams(body: Array(buffer.readableBytesView))
    }
}
