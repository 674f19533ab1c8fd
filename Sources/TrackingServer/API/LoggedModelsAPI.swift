import HTTPTypes
import TrackingCore

/// MLflow 3 logged models (`logged-models`, `logged-models/{model_id}` and its tags and params)
/// and `runs/outputs`, which links them to the run that produced them.
package struct LoggedModelsAPI: Sendable {
    let store: any ServerStore

    package init(store: any ServerStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "logged-models", createLoggedModel),
            Endpoint(.post, "logged-models/search", searchLoggedModels),
            Endpoint(.get, "logged-models/{model_id}", getLoggedModel),
            Endpoint(.patch, "logged-models/{model_id}", finalizeLoggedModel),
            Endpoint(.delete, "logged-models/{model_id}", deleteLoggedModel),
            Endpoint(.patch, "logged-models/{model_id}/tags", setLoggedModelTags),
            Endpoint(.delete, "logged-models/{model_id}/tags/{tag_key}", deleteLoggedModelTag),
            Endpoint(.post, "logged-models/{model_id}/params", logLoggedModelParams),
            Endpoint(.post, "runs/outputs", logOutputs),
        ]
    }

    @Sendable func createLoggedModel(_ request: RequestParams) async throws -> JSONWriter {
        let experimentId = try request.requiredString("experiment_id")
        let name = try request.optionalString("name").flatMap { $0.isEmpty ? nil : $0 }
        let modelType = try request.optionalString("model_type")
        let sourceRunId = try request.optionalString("source_run_id")
        let params = try request.keyValues("params")
        let tags = try request.keyValues("tags")
        if let name { try Validator.loggedModelName(name) }
        let model = try await store.createLoggedModel(
            CreateLoggedModel(
                experimentId: experimentId, name: name ?? RunNameGenerator.next(), modelType: modelType ?? "",
                // MLflow stores proto's "" for an absent run id, and sends it back.
                sourceRunId: sourceRunId ?? "", params: params, tags: tags))
        return Self.modelResponse(model)
    }

    @Sendable func getLoggedModel(_ request: RequestParams) async throws -> JSONWriter {
        let allowDeleted = (try request.optionalString("allow_deleted") ?? "false").lowercased() == "true"
        return Self.modelResponse(try await store.getLoggedModel(id: Self.modelId(request), allowDeleted: allowDeleted))
    }

    @Sendable func finalizeLoggedModel(_ request: RequestParams) async throws -> JSONWriter {
        _ = try request.requiredString("model_id")
        guard let raw = request.fields["status"], raw != .null else { throw TrackingError.missingParameter("status") }
        let status: LoggedModelStatus?
        switch raw {
        case .string(let name): status = LoggedModelStatus(protoName: name) ?? Int64(name).flatMap(LoggedModelStatus.init(rawValue:))
        default: status = RequestParams.int64(raw).flatMap(LoggedModelStatus.init(rawValue:))
        }
        guard let status else {
            throw TrackingError.invalidValue("status", value: raw.pythonJSON, pythonType: raw.pythonTypeName)
        }
        // The path names the model, as in MLflow's handler the body's copy only has to be there.
        return Self.modelResponse(try await store.finalizeLoggedModel(id: Self.modelId(request), status: status))
    }

    @Sendable func deleteLoggedModel(_ request: RequestParams) async throws -> JSONWriter {
        try await store.deleteLoggedModel(id: Self.modelId(request))
        return .empty
    }

    @Sendable func setLoggedModelTags(_ request: RequestParams) async throws -> JSONWriter {
        var tags: [KeyValue] = []
        // A repeated key keeps its last value, as MLflow's dict does.
        for tag in try request.keyValues("tags") {
            if let n = tags.firstIndex(where: { $0.key == tag.key }) { tags[n] = tag } else { tags.append(tag) }
        }
        try await store.setLoggedModelTags(id: Self.modelId(request), tags: tags)
        return .empty
    }

    @Sendable func deleteLoggedModelTag(_ request: RequestParams) async throws -> JSONWriter {
        try await store.deleteLoggedModelTag(id: Self.modelId(request), key: request.path["tag_key"] ?? "")
        return .empty
    }

    @Sendable func logLoggedModelParams(_ request: RequestParams) async throws -> JSONWriter {
        _ = try request.requiredString("model_id")
        try await store.logLoggedModelParams(id: Self.modelId(request), params: try request.keyValues("params"))
        return .empty
    }

    @Sendable func searchLoggedModels(_ request: RequestParams) async throws -> JSONWriter {
        guard request.has("experiment_ids") else { throw TrackingError.missingParameter("experiment_ids") }
        if !(try request.objects("datasets")).isEmpty {
            // Dataset filters need metrics recorded against logged models, which are not stored yet:
            // refused rather than ignored.
            throw TrackingError.invalidParameter("Filtering logged models by datasets is not supported by this server yet.")
        }
        var orders: [(field: String, ascending: Bool)] = []
        for item in try request.objects("order_by") {
            let field = try RequestParams.string(item, "field_name", in: "order_by") ?? ""
            var ascending = true
            if case .bool(let b)? = item["ascending"] { ascending = b }
            orders.append((field, ascending))
        }
        let search = try LoggedModelSearch(
            experimentIds: try request.stringList("experiment_ids"),
            filter: try request.optionalString("filter") ?? "",
            orderBy: orders,
            maxResults: try SearchAPI.int(request, "max_results"),
            pageToken: try request.optionalString("page_token").flatMap { $0.isEmpty ? nil : $0 })
        return try await SearchPaging.response("models", bytesPerItem: 1024, { try await store.searchLoggedModels(search) }) {
            $0.loggedModel($1)
        }
    }

    @Sendable func logOutputs(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.requiredString("run_id")
        guard request.has("models") else { throw TrackingError.missingParameter("models") }
        let models = try request.objects("models").map { item in
            ModelOutput(
                modelId: try RequestParams.string(item, "model_id", in: "models") ?? "",
                step: try item["step"].map { try RequestParams.int64($0, path: "models.step") } ?? 0)
        }
        try await store.logOutputs(runId: runId, models: models)
        return .empty
    }

    static func modelId(_ request: RequestParams) -> String { request.path["model_id"] ?? "" }

    static func modelResponse(_ model: LoggedModel) -> JSONWriter {
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("model")
        writer.loggedModel(model)
        writer.endObject()
        return writer
    }
}
