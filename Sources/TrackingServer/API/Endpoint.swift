import HTTPTypes

/// One MLflow REST endpoint: a method, a path below `/api/2.0/mlflow/` (served under the
/// `/ajax-api/` prefix too), and the handler named after MLflow's RPC.
package struct Endpoint: Sendable {
    package let method: HTTPRequest.Method
    package let path: String
    package let handler: @Sendable (RequestParams) async throws -> JSONWriter

    package init(
        _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping @Sendable (RequestParams) async throws -> JSONWriter
    ) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}

extension JSONWriter {
    /// `{}`: what MLflow answers for writes that return nothing.
    package static var empty: JSONWriter {
        var writer = JSONWriter(capacity: 2)
        writer.beginObject()
        writer.endObject()
        return writer
    }
}
