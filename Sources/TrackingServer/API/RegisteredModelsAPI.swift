import HTTPTypes
import TrackingCore

/// `registered-models/*`: create, read, rename, update, delete, search and tag registered models,
/// their latest versions and aliases.
package struct RegisteredModelsAPI: Sendable {
    let store: any ModelRegistryStore

    package init(store: any ModelRegistryStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "registered-models/create", createRegisteredModel),
            Endpoint(.get, "registered-models/get", getRegisteredModel),
            Endpoint(.post, "registered-models/rename", renameRegisteredModel),
            Endpoint(.patch, "registered-models/update", updateRegisteredModel),
            Endpoint(.delete, "registered-models/delete", deleteRegisteredModel),
            Endpoint(.get, "registered-models/search", searchRegisteredModels),
            Endpoint(.post, "registered-models/set-tag", setRegisteredModelTag),
            Endpoint(.delete, "registered-models/delete-tag", deleteRegisteredModelTag),
            Endpoint(.get, "registered-models/get-latest-versions", getLatestVersions),
            Endpoint(.post, "registered-models/get-latest-versions", getLatestVersions),
            Endpoint(.post, "registered-models/alias", setRegisteredModelAlias),
            Endpoint(.delete, "registered-models/alias", deleteRegisteredModelAlias),
            Endpoint(.get, "registered-models/alias", getModelVersionByAlias),
        ]
    }

    @Sendable func createRegisteredModel(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let tags = try request.keyValues("tags")
        let description = try request.optionalString("description") ?? ""
        try Validator.modelName(name)
        for tag in tags { try Validator.registryTag(tag) }
        return Self.modelResponse(try await store.createRegisteredModel(name: name, tags: tags, description: description))
    }

    @Sendable func getRegisteredModel(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        try Validator.modelName(name)
        return Self.modelResponse(try await store.getRegisteredModel(name: name))
    }

    @Sendable func renameRegisteredModel(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let newName = try request.requiredString("new_name")
        try Validator.modelName(newName, path: "new_name")
        try Validator.modelName(name)
        return Self.modelResponse(try await store.renameRegisteredModel(name: name, newName: newName))
    }

    @Sendable func updateRegisteredModel(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        // An absent description is proto's "", which MLflow stores.
        let description = try request.optionalString("description") ?? ""
        try Validator.modelName(name)
        return Self.modelResponse(try await store.updateRegisteredModel(name: name, description: description))
    }

    @Sendable func deleteRegisteredModel(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        try Validator.modelName(name)
        try await store.deleteRegisteredModel(name: name)
        return .empty
    }

    @Sendable func searchRegisteredModels(_ request: RequestParams) async throws -> JSONWriter {
        let maxResults = try SearchPaging.maxResults(
            request, default: RegisteredModelSearch.defaultMaxResults, limit: RegisteredModelSearch.maxResultsLimit)
        let search = try RegisteredModelSearch(
            filter: try request.optionalString("filter") ?? "",
            orderBy: try request.stringList("order_by"),
            maxResults: maxResults,
            pageToken: try request.optionalString("page_token").flatMap { $0.isEmpty ? nil : $0 })
        return try await SearchPaging.response(
            "registered_models", bytesPerItem: 1024, { try await store.searchRegisteredModels(search) }
        ) { $0.registeredModel($1) }
    }

    @Sendable func setRegisteredModelTag(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let tag = KeyValue(key: try request.requiredString("key"), value: try request.optionalString("value") ?? "")
        try Validator.modelName(name)
        try Validator.registryTag(tag)
        try await store.setRegisteredModelTag(name: name, tag: tag)
        return .empty
    }

    @Sendable func deleteRegisteredModelTag(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let key = try request.requiredString("key")
        try Validator.modelName(name)
        try Validator.validateKeyName(key, path: "key")
        try await store.deleteRegisteredModelTag(name: name, key: key)
        return .empty
    }

    @Sendable func getLatestVersions(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let stages = try request.stringList("stages")
        try Validator.modelName(name)
        let versions = try await store.getLatestVersions(name: name, stages: stages)
        var writer = JSONWriter()
        writer.beginObject()
        writer.modelVersions("model_versions", versions)
        writer.endObject()
        return writer
    }

    @Sendable func setRegisteredModelAlias(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let alias = try request.requiredString("alias")
        let version = try request.requiredString("version")
        try Validator.modelName(name)
        try Validator.aliasName(alias)
        try Validator.aliasNotReserved(alias)
        try await store.setRegisteredModelAlias(name: name, alias: alias, version: try Validator.modelVersion(version))
        return .empty
    }

    @Sendable func deleteRegisteredModelAlias(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let alias = try request.requiredString("alias")
        try Validator.modelName(name)
        try Validator.aliasName(alias)
        try await store.deleteRegisteredModelAlias(name: name, alias: alias)
        return .empty
    }

    @Sendable func getModelVersionByAlias(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let alias = try request.requiredString("alias")
        try Validator.modelName(name)
        try Validator.aliasName(alias)
        return ModelVersionsAPI.versionResponse(try await store.getModelVersion(name: name, alias: alias))
    }

    static func modelResponse(_ model: RegisteredModel) -> JSONWriter {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.key("registered_model")
        writer.registeredModel(model)
        writer.endObject()
        return writer
    }
}
