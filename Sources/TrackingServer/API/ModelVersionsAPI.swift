import HTTPTypes
import TrackingCore

/// `model-versions/*`: create (with MLflow's source checks), read, update, delete, search, stage
/// transitions, tags and the download URI of model versions.
package struct ModelVersionsAPI: Sendable {
    let store: any ServerStore

    package init(store: any ServerStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "model-versions/create", createModelVersion),
            Endpoint(.get, "model-versions/get", getModelVersion),
            Endpoint(.patch, "model-versions/update", updateModelVersion),
            Endpoint(.delete, "model-versions/delete", deleteModelVersion),
            Endpoint(.get, "model-versions/search", searchModelVersions),
            Endpoint(.post, "model-versions/transition-stage", transitionStage),
            Endpoint(.post, "model-versions/set-tag", setModelVersionTag),
            Endpoint(.delete, "model-versions/delete-tag", deleteModelVersionTag),
            Endpoint(.get, "model-versions/get-download-uri", getModelVersionDownloadURI),
        ]
    }

    @Sendable func createModelVersion(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let source = try request.requiredString("source")
        var runId = try request.optionalString("run_id")
        let tags = try request.keyValues("tags")
        let runLink = try request.optionalString("run_link") ?? ""
        let description = try request.optionalString("description") ?? ""
        let modelId = try request.optionalString("model_id").flatMap { $0.isEmpty ? nil : $0 }
        let rules = ModelVersionSource(store: store)
        var (resolved, storage): (String, String?) = (source, nil)
        if modelId == nil {
            (resolved, runId, storage) = try await rules.resolveLineage(source: source, runId: runId)
        }
        let checked = try await rules.validate(source: resolved, runId: runId, modelId: modelId)
        let storageLocation = storage ?? checked
        try Validator.modelName(name)
        for tag in tags { try Validator.registryTag(tag) }
        if let modelId, runId?.isEmpty ?? true {
            // A version registered from a logged model records the run that produced it.
            runId = try await store.getLoggedModel(id: modelId, allowDeleted: false).sourceRunId
        }
        let version = try await store.createModelVersion(
            CreateModelVersion(
                name: name, source: resolved, storageLocation: storageLocation, runId: runId ?? "", tags: tags,
                runLink: runLink, description: description))
        if let modelId {
            try await store.recordModelVersion(modelId: modelId, name: name, version: version.version)
        }
        return Self.versionResponse(version)
    }

    @Sendable func getModelVersion(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        return Self.versionResponse(try await store.getModelVersion(name: name, version: version))
    }

    @Sendable func updateModelVersion(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        // An absent description clears it (MLflow writes None).
        let description = try request.optionalString("description")
        return Self.versionResponse(try await store.updateModelVersion(name: name, version: version, description: description))
    }

    @Sendable func deleteModelVersion(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        try await store.deleteModelVersion(name: name, version: version)
        return .empty
    }

    @Sendable func searchModelVersions(_ request: RequestParams) async throws -> JSONWriter {
        let maxResults = try SearchPaging.maxResults(
            request, default: ModelVersionSearch.defaultMaxResults, limit: ModelVersionSearch.maxResultsLimit)
        let search = try ModelVersionSearch(
            filter: try request.optionalString("filter") ?? "",
            orderBy: try request.stringList("order_by"),
            maxResults: maxResults,
            pageToken: try request.optionalString("page_token").flatMap { $0.isEmpty ? nil : $0 })
        return try await SearchPaging.response(
            "model_versions", bytesPerItem: 512, { try await store.searchModelVersions(search) }
        ) { $0.modelVersion($1) }
    }

    @Sendable func transitionStage(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let versionText = try request.requiredString("version")
        let stage = try request.requiredString("stage")
        let archive = try request.optionalBool("archive_existing_versions") ?? false
        try Validator.modelName(name)
        let version = try Validator.modelVersion(versionText)
        return Self.versionResponse(
            try await store.transitionModelVersionStage(
                name: name, version: version, stage: stage, archiveExistingVersions: archive))
    }

    @Sendable func setModelVersionTag(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        let tag = KeyValue(key: try request.requiredString("key"), value: try request.optionalString("value") ?? "")
        try Validator.registryTag(tag)
        try await store.setModelVersionTag(name: name, version: version, tag: tag)
        return .empty
    }

    @Sendable func deleteModelVersionTag(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        let key = try request.requiredString("key")
        try Validator.validateKeyName(key, path: "key")
        try await store.deleteModelVersionTag(name: name, version: version, key: key)
        return .empty
    }

    @Sendable func getModelVersionDownloadURI(_ request: RequestParams) async throws -> JSONWriter {
        let (name, version) = try Self.nameAndVersion(request)
        let uri = try await store.getModelVersionDownloadURI(name: name, version: version)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("artifact_uri", uri)
        writer.endObject()
        return writer
    }

    /// `name` and `version`, required, checked as MLflow's store checks them.
    static func nameAndVersion(_ request: RequestParams) throws -> (String, Int64) {
        let name = try request.requiredString("name")
        let version = try request.requiredString("version")
        try Validator.modelName(name)
        return (name, try Validator.modelVersion(version))
    }

    static func versionResponse(_ version: ModelVersion) -> JSONWriter {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("model_version")
        writer.modelVersion(version)
        writer.endObject()
        return writer
    }
}
