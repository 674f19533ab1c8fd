import GraphQL
import HTTPTypes
import Hummingbird
import NIOCore
import TrackingCore

/// `POST|GET /graphql`: what MLflow's UI asks through GraphQL (the experiment header, the run
/// page, sampled searches). Answers `{"data": ..., "errors": null | [message, ...]}` as MLflow
/// does; a failing root field is null with its message in `errors`.
struct GraphQLAPI: Sendable {
    /// Built on the first request: the UI's first GraphQL call, not the server's start, pays for it.
    private let schema = LazySchema()
    let context: GraphQLContext
    let limits: GraphQLQueryLimits

    init(endpoints: [Endpoint], limits: GraphQLQueryLimits) {
        var handlers: [String: @Sendable (RequestParams) async throws -> JSONWriter] = [:]
        // GET first: a path served by both methods reads its fields the same way.
        for endpoint in endpoints.sorted(by: { ($0.method == .get ? 0 : 1) < ($1.method == .get ? 0 : 1) })
        where handlers[endpoint.path] == nil {
            handlers[endpoint.path] = endpoint.handler
        }
        context = GraphQLContext(handlers: handlers)
        self.limits = limits
    }

    func handle(_ request: Request) async throws -> Response {
        let body: JSONValue
        if request.method == .get {
            let params = RequestParams(query: request.uri.query)
            var fields: [String: JSONValue] = [:]
            for name in ["query", "operationName"] { fields[name] = params.fields[name] }
            if case .string(let text)? = params.fields["variables"] { fields["variables"] = try? JSONParser.parse(Array(text.utf8)) }
            body = .object(fields)
        } else {
            let buffer = try await request.body.collect(upTo: maxRequestBody)
            guard let parsed = try? JSONParser.parse(Array(buffer.readableBytesView)) else {
                return Self.failure("The request body is not valid JSON.")
            }
            body = parsed
        }
        guard case .object = body else {
            // MLflow runs one operation per request; a JSON array is a batch.
            return Self.failure("Batched GraphQL requests are not supported; send one operation per request.")
        }
        guard case .string(let query)? = body["query"] else { return Self.failure("Must provide query string.") }
        var operationName: String?
        if case .string(let name)? = body["operationName"] { operationName = name }
        var variables: [String: Map] = [:]
        if case .object(let members)? = body["variables"] {
            for (name, value) in members { variables[name] = GraphQLWire.map(value) }
        }
        return try await execute(query, operationName: operationName, variables: variables)
    }

    func execute(_ query: String, operationName: String?, variables: [String: Map]) async throws -> Response {
        let document: Document
        do {
            document = try parse(source: query)
        } catch let error as GraphQLError {
            return Self.failure(error.message)
        }
        if let violation = limits.violation(in: document) { return Self.result(data: nil, errors: [violation]) }
        let schema = try await self.schema.value
        let errors = validate(schema: schema, ast: document)
        // graphql-core (MLflow's) words validation errors as graphql-js does but quotes with '.
        guard errors.isEmpty else { return Self.result(data: nil, errors: errors.map { $0.message.replacing("\"", with: "'") }) }
        let result = try await GraphQL.execute(
            schema: schema, documentAST: document, rootValue: (), context: context, variableValues: variables,
            operationName: operationName)
        return Self.result(data: result.data, errors: result.errors.map(\.message))
    }

    static func result(data: Map?, errors: [String], status: HTTPResponse.Status = .ok) -> Response {
        var writer = JSONWriter(capacity: 4096)
        writer.beginObject()
        writer.key("data")
        writer.graphQLValue(data ?? .null)
        writer.key("errors")
        if errors.isEmpty {
            writer.null()
        } else {
            writer.beginArray()
            for error in errors { writer.string(error) }
            writer.endArray()
        }
        writer.endObject()
        return Response.json(writer, status: status)
    }

    /// A request that is not one GraphQL operation: 400 (MLflow's server fails with a 500 here,
    /// which clients retry).
    static func failure(_ message: String) -> Response {
        result(data: nil, errors: [message], status: .badRequest)
    }
}

/// MLflow's schema, built once on first use.
actor LazySchema {
    private var schema: GraphQLSchema?

    var value: GraphQLSchema {
        get throws {
            if let schema { return schema }
            let built = try MLflowGraphQLSchema.build()
            schema = built
            return built
        }
    }
}
