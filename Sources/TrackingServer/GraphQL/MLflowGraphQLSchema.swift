import GraphQL
import OrderedCollections
import TrackingCore

/// The REST handlers GraphQL resolvers call, by MLflow path (`runs/get`), as MLflow's resolvers
/// call its `*_impl` handlers: the same validation, the same messages.
struct GraphQLContext: Sendable {
    let handlers: [String: @Sendable (RequestParams) async throws -> JSONWriter]

    func call(_ path: String, _ request: JSONValue) async throws -> JSONValue {
        guard let handler = handlers[path] else {
            throw GraphQLError(message: "\(path) is not available on this server")
        }
        let params: RequestParams
        if case .object(let members) = request { params = RequestParams(json: members) } else { params = RequestParams(json: [:]) }
        do {
            return try JSONParser.parse(try await handler(params).bytes)
        } catch let error as TrackingError {
            // GraphQL answers 200 with errors, so no 503 can say "try again": every database failure reads as internal.
            throw GraphQLError(message: error.cause == nil ? error.message : "Internal error while accessing the database.")
        }
    }
}

/// MLflow's GraphQL schema (from its SDL) with resolvers: each root field calls the REST handler
/// MLflow's resolver calls, and the run extension's `experiment` and `modelVersions` look up the
/// run's experiment and registered versions.
enum MLflowGraphQLSchema {
    /// Root field → the REST path its resolver calls.
    static let queryHandlers = [
        "mlflowGetExperiment": "experiments/get",
        "mlflowGetMetricHistoryBulkInterval": "metrics/get-history-bulk-interval",
        "mlflowGetRun": "runs/get",
        "mlflowListArtifacts": "artifacts/list",
        "mlflowSearchModelVersions": "model-versions/search",
        "mlflowSearchRuns": "runs/search",
    ]
    static let mutationHandlers = [
        "mlflowSearchDatasets": "experiments/search-datasets",
        "mlflowSearchRuns": "runs/search",
    ]

    static func build() throws -> GraphQLSchema {
        let schema = try buildSchema(source: MLflowGraphQLSDL.text)
        if let query = schema.queryType { try attach(queryHandlers, echo: "test", to: query) }
        if let mutation = schema.mutationType { try attach(mutationHandlers, echo: "testMutation", to: mutation) }
        guard let run = schema.getType(name: "MlflowRunExtension") as? GraphQLObjectType,
            let experimentType = schema.getType(name: "MlflowExperiment") as? GraphQLObjectType,
            let versionType = schema.getType(name: "MlflowModelVersion") as? GraphQLObjectType
        else { throw GraphQLError(message: "MLflow's GraphQL schema lacks the run extension types") }
        let runFields = try run.fields()
        runFields["experiment"]?.resolve = { source, _, context, _ in
            guard let experimentId = runInfo(source)?["experimentId"] as? String else { return nil }
            let json = try await (context as! GraphQLContext).call("experiments/get", .object(["experiment_id": .string(experimentId)]))
            return try GraphQLWire.object(json["experiment"], as: experimentType)
        }
        runFields["modelVersions"]?.resolve = { source, _, context, _ in
            guard let runId = runInfo(source)?["runId"] as? String else { return nil }
            let context = context as! GraphQLContext
            // Without a model registry there are no versions to list.
            guard context.handlers["model-versions/search"] != nil else { return [(any Sendable)?]() }
            let json = try await context.call(
                "model-versions/search", .object(["filter": .string("run_id='\(runId)'")]))
            guard case .array(let versions)? = json["model_versions"] else { return [(any Sendable)?]() }
            return try versions.map { try GraphQLWire.object($0, as: versionType) } as [(any Sendable)?]
        }
        run.fields = { runFields }
        return schema
    }

    private static func runInfo(_ source: any Sendable) -> [String: any Sendable]? {
        (source as? [String: any Sendable])?["info"] as? [String: any Sendable]
    }

    /// Gives each root field of `root` a resolver that calls its REST handler with the `input`
    /// argument and shapes the answer as the field's response type.
    private static func attach(_ handlers: [String: String], echo: String, to root: GraphQLObjectType) throws {
        let fields = try root.fields()
        for (name, path) in handlers {
            guard let field = fields[name], let responseType = field.type as? GraphQLObjectType else { continue }
            field.resolve = { _, args, context, _ in
                let input = GraphQLWire.requestJSON(args.dictionary?["input"] ?? .null)
                let json = try await (context as! GraphQLContext).call(path, input)
                return try GraphQLWire.object(json, as: responseType)
            }
        }
        fields[echo]?.resolve = { _, args, _, _ in
            ["output": args.dictionary?["inputString"]?.string] as [String: any Sendable]
        }
        root.fields = { fields }
    }
}
