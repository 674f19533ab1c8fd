/// A registered model of MLflow's model registry, as `registered-models/get` returns it.
package struct RegisteredModel: Sendable, Equatable {
    package var name: String
    package var creationTimestamp: Int64?
    package var lastUpdatedTimestamp: Int64?
    package var description: String?
    /// The newest version in each stage (MLflow's `latest_versions`).
    package var latestVersions: [ModelVersion]
    package var tags: [KeyValue]
    package var aliases: [ModelAlias]

    package init(
        name: String, creationTimestamp: Int64?, lastUpdatedTimestamp: Int64?, description: String?,
        latestVersions: [ModelVersion] = [], tags: [KeyValue] = [], aliases: [ModelAlias] = []
    ) {
        self.name = name
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.description = description
        self.latestVersions = latestVersions
        self.tags = tags
        self.aliases = aliases
    }
}

/// An alias of a registered model, pointing at one of its versions.
package struct ModelAlias: Sendable, Equatable {
    package var alias: String
    package var version: Int64

    package init(alias: String, version: Int64) {
        self.alias = alias
        self.version = version
    }
}

/// One version of a registered model.
package struct ModelVersion: Sendable, Equatable {
    package var name: String
    package var version: Int64
    package var creationTimestamp: Int64?
    package var lastUpdatedTimestamp: Int64?
    package var description: String?
    package var userId: String?
    package var currentStage: String?
    package var source: String?
    package var runId: String?
    package var status: String?
    package var statusMessage: String?
    package var runLink: String?
    package var tags: [KeyValue]
    /// The names of the aliases pointing at this version.
    package var aliases: [String]

    package init(
        name: String, version: Int64, creationTimestamp: Int64?, lastUpdatedTimestamp: Int64?,
        description: String?, userId: String?, currentStage: String?, source: String?, runId: String?,
        status: String?, statusMessage: String?, runLink: String?, tags: [KeyValue] = [], aliases: [String] = []
    ) {
        self.name = name
        self.version = version
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.description = description
        self.userId = userId
        self.currentStage = currentStage
        self.source = source
        self.runId = runId
        self.status = status
        self.statusMessage = statusMessage
        self.runLink = runLink
        self.tags = tags
        self.aliases = aliases
    }
}

/// MLflow's model version stages (`mlflow/entities/model_registry/model_version_stages.py`).
package enum ModelStage {
    package static let none = "None"
    package static let staging = "Staging"
    package static let production = "Production"
    package static let archived = "Archived"
    /// What a deleted version's stage becomes: MLflow keeps the row, redacted.
    package static let deletedInternal = "Deleted_Internal"

    package static let all = [none, staging, production, archived]
    /// The stages `archive_existing_versions` may be used with.
    package static let active = [staging, production]

    /// MLflow's `get_canonical_stage`: a case-insensitive match, or an error listing the stages.
    package static func canonical(_ stage: String) throws(TrackingError) -> String {
        guard let match = all.first(where: { $0.lowercased() == stage.lowercased() }) else {
            throw .invalidParameter(
                "Invalid Model Version stage: \(stage). Value must be one of \(all.joined(separator: ", ")).")
        }
        return match
    }
}

/// The tag MLflow's prompt registry puts on registered models that are prompts; searches leave
/// prompts out unless the filter asks for them.
package enum PromptTag {
    package static let isPrompt = "mlflow.prompt.is_prompt"
}
