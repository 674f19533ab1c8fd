import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// `experiments/*`: create, read, rename, delete, restore and tag experiments.
package struct ExperimentsAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "experiments/create", createExperiment),
            Endpoint(.get, "experiments/get", getExperiment),
            Endpoint(.get, "experiments/get-by-name", getExperimentByName),
            Endpoint(.post, "experiments/update", updateExperiment),
            Endpoint(.post, "experiments/delete", deleteExperiment),
            Endpoint(.post, "experiments/restore", restoreExperiment),
            Endpoint(.post, "experiments/set-experiment-tag", setExperimentTag),
            Endpoint(.post, "experiments/delete-experiment-tag", deleteExperimentTag),
        ]
    }

    @Sendable func createExperiment(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("name")
        let location = try request.optionalString("artifact_location").flatMap { $0.isEmpty ? nil : $0 }
        let tags = try request.keyValues("tags")
        if let location { try ArtifactLocationRules.validate(location) }
        try Validator.experimentName(name)
        for tag in tags { try Validator.experimentTag(tag) }
        if Set(tags.map(\.key)).count != tags.count {
            // MLflow's insert fails on the duplicate tag key and reports it as a name clash.
            throw TrackingError(.resourceAlreadyExists, "Experiment(name=\(name)) already exists.")
        }
        let id = try await store.createExperiment(
            name: name, artifactLocation: location.map(ArtifactLocationRules.resolveLocal), tags: tags)
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("experiment_id", id)
        writer.endObject()
        return writer
    }

    @Sendable func getExperiment(_ request: RequestParams) async throws -> JSONWriter {
        let experiment = try await store.getExperiment(id: try request.requiredString("experiment_id"))
        return Self.experimentResponse(experiment)
    }

    @Sendable func getExperimentByName(_ request: RequestParams) async throws -> JSONWriter {
        let name = try request.requiredString("experiment_name")
        guard let experiment = try await store.getExperiment(name: name) else {
            throw TrackingError.notFound("Could not find experiment with name '\(name)'")
        }
        return Self.experimentResponse(experiment)
    }

    @Sendable func updateExperiment(_ request: RequestParams) async throws -> JSONWriter {
        let id = try request.requiredString("experiment_id")
        let newName = try request.requiredString("new_name")
        try Validator.experimentName(newName)
        try await store.renameExperiment(id: id, newName: newName)
        return .empty
    }

    @Sendable func deleteExperiment(_ request: RequestParams) async throws -> JSONWriter {
        try await store.deleteExperiment(id: try request.requiredString("experiment_id"))
        return .empty
    }

    @Sendable func restoreExperiment(_ request: RequestParams) async throws -> JSONWriter {
        try await store.restoreExperiment(id: try request.requiredString("experiment_id"))
        return .empty
    }

    @Sendable func setExperimentTag(_ request: RequestParams) async throws -> JSONWriter {
        let id = try request.requiredString("experiment_id")
        let tag = KeyValue(key: try request.requiredString("key"), value: try request.optionalString("value") ?? "")
        try Validator.experimentTag(tag)
        try await store.setExperimentTag(id: id, tag: tag)
        return .empty
    }

    @Sendable func deleteExperimentTag(_ request: RequestParams) async throws -> JSONWriter {
        let id = try request.requiredString("experiment_id")
        let key = try request.requiredString("key")
        try await store.deleteExperimentTag(id: id, key: key)
        return .empty
    }

    static func experimentResponse(_ experiment: Experiment) -> JSONWriter {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("experiment")
        writer.experiment(experiment)
        writer.endObject()
        return writer
    }
}
