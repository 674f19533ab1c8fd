import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// MLflow 3's security layer (`mlflow/server/security.py`): Host-header validation against DNS
/// rebinding, refusal of state-changing API calls from foreign origins, CORS for allowed ones,
/// and the `X-Content-Type-Options` / `X-Frame-Options` headers on every response.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let settings: SecuritySettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if !SecuritySettings.healthPaths.contains(path) {
            let host = request.head.authority ?? ""
            guard settings.allowsHost(host) else {
                context.logger.warning("Rejected request with invalid Host header: \(host)")
                return withHeaders(Self.text(SecuritySettings.invalidHostMessage), path: path)
            }
        }
        let origin = request.headers[.origin]
        let api = SecuritySettings.isAPI(path)
        if api, !settings.allowsAnyOrigin, let origin, settings.blocks(origin: origin, method: request.method) {
            context.logger.warning("Blocked cross-origin request from \(origin)")
            return withHeaders(Self.text(SecuritySettings.corsBlockedMessage), path: path)
        }
        var response: Response
        if request.method == .options, let origin, settings.allowsCORS(origin: origin) {
            // A preflight: answered here, 204 for API paths as MLflow does.
            response = Response(status: api ? .noContent : .ok)
            response.headers[.accessControlAllowMethods] = "DELETE, GET, OPTIONS, PATCH, POST, PUT"
            if let requested = request.headers[.accessControlRequestHeaders] {
                response.headers[.accessControlAllowHeaders] = requested
            }
        } else {
            response = try await next(request, context)
        }
        if let origin, settings.allowsCORS(origin: origin) {
            response.headers[.accessControlAllowOrigin] = settings.allowsAnyOrigin ? "*" : origin
            if !settings.allowsAnyOrigin { response.headers[.accessControlAllowCredentials] = "true" }
            response.headers[values: .vary].append("Origin")
        }
        return withHeaders(response, path: path)
    }

    private func withHeaders(_ response: Response, path: String) -> Response {
        var response = response
        response.headers[.xContentTypeOptions] = "nosniff"
        if let frameOptions = settings.xFrameOptions { response.headers[.xFrameOptions] = frameOptions }
        return response
    }

    private static func text(_ message: String) -> Response {
        Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: message)))
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
