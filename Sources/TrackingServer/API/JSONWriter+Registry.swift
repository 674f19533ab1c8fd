import TrackingCore

/// How registry and logged-model entities look on the wire (MLflow's proto JSON, fields in proto order).
extension JSONWriter {
    package mutating func registeredModel(_ model: RegisteredModel) {
        beginObject()
        field("name", model.name)
        field("creation_timestamp", model.creationTimestamp)
        // MLflow omits a zero timestamp and an empty description (it tests them for truth).
        field("last_updated_timestamp", model.lastUpdatedTimestamp == 0 ? nil : model.lastUpdatedTimestamp)
        field("description", model.description?.isEmpty == false ? model.description : nil)
        if !model.latestVersions.isEmpty {
            key("latest_versions")
            beginArray()
            for version in model.latestVersions { modelVersion(version) }
            endArray()
        }
        keyValues("tags", model.tags)
        if !model.aliases.isEmpty {
            key("aliases")
            beginArray()
            for alias in model.aliases {
                beginObject()
                field("alias", alias.alias)
                field("version", String(alias.version))
                endObject()
            }
            endArray()
        }
        endObject()
    }

    package mutating func modelVersion(_ version: ModelVersion) {
        beginObject()
        field("name", version.name)
        field("version", String(version.version))
        field("creation_timestamp", version.creationTimestamp)
        field("last_updated_timestamp", version.lastUpdatedTimestamp)
        field("user_id", version.userId)
        field("current_stage", version.currentStage)
        field("description", version.description)
        field("source", version.source)
        field("run_id", version.runId)
        field("status", version.status)
        field("status_message", version.statusMessage?.isEmpty == false ? version.statusMessage : nil)
        keyValues("tags", version.tags)
        field("run_link", version.runLink)
        if !version.aliases.isEmpty {
            key("aliases")
            beginArray()
            for alias in version.aliases { string(alias) }
            endArray()
        }
        endObject()
    }

    package mutating func modelVersions(_ name: StaticString, _ versions: [ModelVersion]) {
        guard !versions.isEmpty else { return }
        key(name)
        beginArray()
        for version in versions { modelVersion(version) }
        endArray()
    }

    package mutating func loggedModel(_ model: LoggedModel) {
        beginObject()
        key("info")
        beginObject()
        field("model_id", model.modelId)
        field("experiment_id", model.experimentId)
        field("name", model.name)
        field("creation_timestamp_ms", model.creationTimestamp)
        field("last_updated_timestamp_ms", model.lastUpdatedTimestamp)
        field("artifact_uri", model.artifactLocation)
        field("status", model.status.protoName)
        field("status_message", model.statusMessage)
        field("model_type", model.modelType)
        field("source_run_id", model.sourceRunId)
        keyValues("tags", model.tags)
        endObject()
        key("data")
        beginObject()
        keyValues("params", model.params)
        if !model.metrics.isEmpty {
            key("metrics")
            beginArray()
            for metric in model.metrics {
                beginObject()
                field("key", metric.key)
                key("value")
                double(metric.value)
                field("timestamp", metric.timestamp)
                field("step", metric.step)
                field("dataset_name", metric.datasetName)
                field("dataset_digest", metric.datasetDigest)
                field("model_id", model.modelId)
                field("run_id", metric.runId)
                endObject()
            }
            endArray()
        }
        endObject()
        endObject()
    }
}
