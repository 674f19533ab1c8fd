import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import TrackingCore

/// Turns every failure into MLflow's JSON error body: domain errors with their code and status
/// (the store's database failures among them, logged here with the request and their cause),
/// unknown routes as 404/405 `ENDPOINT_NOT_FOUND`, anything else as 500 `INTERNAL_ERROR`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Every path the router serves, to tell a wrong method (405) from an unknown path (404).
    let knownPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // MLflow's routes are strict about slashes: `/api/2.0/mlflow/experiments/get/` is another,
        // unknown path there, where Hummingbird's router would match it to the route without.
        if request.uri.path.utf8.count > 1, request.uri.path.utf8.last == UInt8(ascii: "/") {
            return Self.response(TrackingError(.endpointNotFound, "The requested URL was not found on the server."))
        }
        do {
            return try await next(request, context)
        } catch let error as TrackingError {
            if let cause = error.cause {
                context.logger.error(
                    "database error", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(cause)"])
            }
            return Self.response(error)
        } catch let error as HTTPError where error.status == .notFound {
            if knownPaths.contains(request.uri.path) {
                return Self.response(
                    TrackingError(.endpointNotFound, "The method is not allowed for the requested URL."), status: .methodNotAllowed)
            }
            return Self.response(TrackingError(.endpointNotFound, "The requested URL was not found on the server."))
        } catch let error as HTTPError {
            return Self.response(TrackingError(.badRequest, error.body ?? "Bad request."), status: error.status)
        } catch {
            context.logger.error(
                "internal error", metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
            return Self.response(TrackingError(.internalError, "Internal server error."))
        }
    }

    static func response(_ error: TrackingError, status: HTTPResponse.Status? = nil) -> Response {
        var writer = JSONWriter(capacity: 128 + error.message.utf8.count)
        writer.beginObject()
        writer.field("error_code", error.code.rawValue)
        writer.field("message", error.message)
        writer.field("sqlstate", error.code.sqlState)
        writer.field("error_class", error.code.errorClass)
        writer.endObject()
        return Response.json(writer, status: status ?? HTTPResponse.Status(code: error.code.httpStatus))
    }
}

extension Response {
    static func json(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: writer.withBytes { ByteBuffer(bytes: $0) }))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
