/// The model registry's storage, in MLflow's terms (its `AbstractStore` of
/// `mlflow/store/model_registry`). Names and versions arrive validated.
package protocol ModelRegistryStore: Sendable {
    // Registered models
    func createRegisteredModel(name: String, tags: [KeyValue], description: String?) async throws -> RegisteredModel
    func getRegisteredModel(name: String) async throws -> RegisteredModel
    func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel
    func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel
    func deleteRegisteredModel(name: String) async throws
    func searchRegisteredModels(_ search: RegisteredModelSearch) async throws -> SearchPage<RegisteredModel>
    func setRegisteredModelTag(name: String, tag: KeyValue) async throws
    func deleteRegisteredModelTag(name: String, key: String) async throws
    /// The newest version in each of `stages` (every stage when empty).
    func getLatestVersions(name: String, stages: [String]) async throws -> [ModelVersion]

    // Aliases
    func setRegisteredModelAlias(name: String, alias: String, version: Int64) async throws
    func deleteRegisteredModelAlias(name: String, alias: String) async throws
    func getModelVersion(name: String, alias: String) async throws -> ModelVersion

    // Model versions
    func createModelVersion(_ request: CreateModelVersion) async throws -> ModelVersion
    func getModelVersion(name: String, version: Int64) async throws -> ModelVersion
    func updateModelVersion(name: String, version: Int64, description: String?) async throws -> ModelVersion
    func deleteModelVersion(name: String, version: Int64) async throws
    func transitionModelVersionStage(name: String, version: Int64, stage: String, archiveExistingVersions: Bool)
        async throws -> ModelVersion
    func searchModelVersions(_ search: ModelVersionSearch) async throws -> SearchPage<ModelVersion>
    func setModelVersionTag(name: String, version: Int64, tag: KeyValue) async throws
    func deleteModelVersionTag(name: String, version: Int64, key: String) async throws
    func getModelVersionDownloadURI(name: String, version: Int64) async throws -> String
}

/// The fields of `model-versions/create` after validation and source resolution.
package struct CreateModelVersion: Sendable {
    package var name: String
    package var source: String
    /// Where the files are: the logged model's location for a `models:/m-...` source, else the source.
    package var storageLocation: String
    package var runId: String?
    package var tags: [KeyValue]
    package var runLink: String?
    package var description: String?

    package init(
        name: String, source: String, storageLocation: String, runId: String?, tags: [KeyValue], runLink: String?,
        description: String?
    ) {
        self.name = name
        self.source = source
        self.storageLocation = storageLocation
        self.runId = runId
        self.tags = tags
        self.runLink = runLink
        self.description = description
    }
}

/// Everything the server stores: tracking, the model registry and logged models.
package typealias ServerStore = LoggedModelStore & ModelRegistryStore & TrackingStore
