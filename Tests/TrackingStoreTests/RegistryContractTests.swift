import Foundation
import Testing
import TrackingCore
import TrackingStore

/// The registry and logged-model behaviour every backend of the store must show.
@Suite("Registry store contract")
struct RegistryContractTests {
    private func version(_ name: String, source: String = "s3://b/m", runId: String? = nil, tags: [KeyValue] = [])
        -> CreateModelVersion
    {
        CreateModelVersion(
            name: name, source: source, storageLocation: source, runId: runId, tags: tags, runLink: "", description: "")
    }

    @Test(arguments: StoreBackend.available)
    func registeredModelsRenameCascadesAndDeleteRemovesAll(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createRegisteredModel(name: "m", tags: [KeyValue(key: "t", value: "1")], description: "d")
            await #expect(throws: TrackingError(.resourceAlreadyExists, "Registered Model (name=m) already exists.")) {
                _ = try await store.createRegisteredModel(name: "m", tags: [], description: nil)
            }
            _ = try await store.createModelVersion(version("m", tags: [KeyValue(key: "k", value: "v")]))
            try await store.setRegisteredModelAlias(name: "m", alias: "champion", version: 1)

            let renamed = try await store.renameRegisteredModel(name: "m", newName: "n")
            #expect(renamed.name == "n")
            #expect(renamed.tags == [KeyValue(key: "t", value: "1")])
            #expect(renamed.aliases == [ModelAlias(alias: "champion", version: 1)])
            let moved = try await store.getModelVersion(name: "n", version: 1)
            #expect(moved.tags == [KeyValue(key: "k", value: "v")])
            #expect(moved.aliases == ["champion"])
            await #expect(throws: TrackingError.notFound("Registered Model with name=m not found")) {
                _ = try await store.getRegisteredModel(name: "m")
            }

            try await store.deleteRegisteredModel(name: "n")
            await #expect(throws: TrackingError.notFound("Model Version (name=n, version=1) not found")) {
                _ = try await store.getModelVersion(name: "n", version: 1)
            }
            // The name is free again, with no leftover versions, tags or aliases.
            let again = try await store.createRegisteredModel(name: "n", tags: [], description: nil)
            #expect(again.tags.isEmpty && again.aliases.isEmpty && again.latestVersions.isEmpty)
            #expect(try await store.createModelVersion(version("n")).version == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func versionsStagesAndLatest(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            _ = try await store.createRegisteredModel(name: "m", tags: [], description: nil)
            for _ in 0..<3 { _ = try await store.createModelVersion(version("m")) }
            _ = try await store.transitionModelVersionStage(name: "m", version: 1, stage: "Production", archiveExistingVersions: false)
            let promoted = try await store.transitionModelVersionStage(
                name: "m", version: 2, stage: "production", archiveExistingVersions: true)
            #expect(promoted.currentStage == "Production")
            #expect(try await store.getModelVersion(name: "m", version: 1).currentStage == "Archived")
            let latest = try await store.getLatestVersions(name: "m", stages: [])
            #expect(latest.map(\.version) == [1, 2, 3])
            #expect(try await store.getLatestVersions(name: "m", stages: ["PRODUCTION"]).map(\.version) == [2])

            try await store.deleteModelVersion(name: "m", version: 3)
            #expect(try await store.getLatestVersions(name: "m", stages: []).map(\.version) == [1, 2])
            #expect(try await store.createModelVersion(version("m")).version == 4)
            #expect(try await store.getModelVersion(name: "m", alias: "latest").version == 4)
            let updated = try await store.updateModelVersion(name: "m", version: 4, description: nil)
            #expect(updated.description == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func searches(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            for name in ["Alpha", "beta", "gamma"] { _ = try await store.createRegisteredModel(name: name, tags: [], description: nil) }
            try await store.setRegisteredModelTag(name: "beta", tag: KeyValue(key: "team", value: "ml"))
            try await store.setRegisteredModelTag(name: "gamma", tag: KeyValue(key: PromptTag.isPrompt, value: "true"))
            _ = try await store.createModelVersion(version("Alpha", runId: "r1"))
            _ = try await store.createModelVersion(version("beta", runId: "r2", tags: [KeyValue(key: "k", value: "v")]))
            _ = try await store.createModelVersion(version("gamma", runId: "r1"))

            func models(_ filter: String, _ orderBy: [String] = []) async throws -> [String] {
                try await store.searchRegisteredModels(
                    RegisteredModelSearch(filter: filter, orderBy: orderBy, maxResults: 100, pageToken: nil)
                ).items.map(\.name)
            }
            #expect(try await models("") == ["Alpha", "beta"])
            // LIKE is case-sensitive and ILIKE not, on both databases.
            #expect(try await models("name LIKE 'a%'") == [])
            #expect(try await models("name ILIKE 'a%'") == ["Alpha"])
            #expect(try await models("tags.team = 'ml'") == ["beta"])
            #expect(try await models("name != 'beta'", ["name DESC"]) == ["Alpha"])
            #expect(try await models("tags.`mlflow.prompt.is_prompt` = 'true'") == ["gamma"])

            func versions(_ filter: String) async throws -> [String] {
                try await store.searchModelVersions(
                    ModelVersionSearch(filter: filter, orderBy: ["name ASC"], maxResults: 100, pageToken: nil)
                ).items.map { "\($0.name)/\($0.version)" }
            }
            // Versions are left out as prompts by their own tags (as in MLflow), not by their model's.
            #expect(try await versions("run_id = 'r1'") == ["Alpha/1", "gamma/1"])
            #expect(try await versions("run_id IN ('r1', 'r2')") == ["Alpha/1", "beta/1", "gamma/1"])
            #expect(try await versions("tags.k = 'v'") == ["beta/1"])
            #expect(try await versions("version_number >= 1 AND name = 'beta'") == ["beta/1"])
            try await store.setModelVersionTag(name: "gamma", version: 1, tag: KeyValue(key: PromptTag.isPrompt, value: "true"))
            #expect(try await versions("run_id = 'r1'") == ["Alpha/1"])

            let first = try await store.searchRegisteredModels(
                RegisteredModelSearch(filter: "", orderBy: [], maxResults: 1, pageToken: nil))
            #expect(first.items.map(\.name) == ["Alpha"])
            let second = try await store.searchRegisteredModels(
                RegisteredModelSearch(filter: "", orderBy: [], maxResults: 1, pageToken: first.nextPageToken))
            #expect(second.items.map(\.name) == ["beta"] && second.nextPageToken == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func loggedModels(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let run = try await store.makeRun()
            let model = try await store.createLoggedModel(
                CreateLoggedModel(
                    experimentId: run.info.experimentId, name: "clf", modelType: nil, sourceRunId: run.info.runId,
                    params: [KeyValue(key: "p", value: "1")], tags: [KeyValue(key: "t", value: "x")]))
            #expect(model.status == .pending)
            #expect(model.artifactLocation == "file:///artifacts/\(run.info.experimentId)/models/\(model.modelId)/artifacts")
            _ = try await store.finalizeLoggedModel(id: model.modelId, status: .ready)
            try await store.setLoggedModelTags(id: model.modelId, tags: [KeyValue(key: "t", value: "y")])
            try await store.recordModelVersion(modelId: model.modelId, name: "m", version: 1)
            try await store.recordModelVersion(modelId: model.modelId, name: "m", version: 2)
            try await store.recordModelVersion(modelId: model.modelId, name: "m", version: 2)
            let got = try await store.getLoggedModel(id: model.modelId, allowDeleted: false)
            #expect(got.status == .ready)
            #expect(got.tags == [
                KeyValue(key: "mlflow.modelVersions", value: #"[{"name": "m", "version": 1}, {"name": "m", "version": 2}]"#),
                KeyValue(key: "t", value: "y"),
            ])
            let point = ModelMetric(
                modelId: model.modelId, metric: Metric(key: "acc", value: .nan, timestamp: 5, step: 1), datasetName: "d",
                datasetDigest: nil)
            try await store.logModelMetrics(runId: run.info.runId, metrics: [point, point])
            #expect(try await store.getLoggedModel(id: model.modelId, allowDeleted: false).metrics == [
                LoggedModelMetric(key: "acc", value: 0, timestamp: 5, step: 1, runId: run.info.runId, datasetName: "d", datasetDigest: nil)
            ])
            try await store.logOutputs(runId: run.info.runId, models: [ModelOutput(modelId: model.modelId, step: 0)])
            #expect(try await store.getRun(id: run.info.runId).modelOutputs == [ModelOutput(modelId: model.modelId, step: 0)])

            let search = try LoggedModelSearch(
                experimentIds: [run.info.experimentId], filter: "", orderBy: [], maxResults: nil, pageToken: nil)
            #expect(try await store.searchLoggedModels(search).items.map(\.modelId) == [model.modelId])
            for (filter, found) in [("name ILIKE 'CL%' AND params.p = '1'", true), ("tags.t LIKE 'Y'", false), ("tags.t = 'y'", true)] {
                let filtered = try LoggedModelSearch(
                    experimentIds: [run.info.experimentId], filter: filter, orderBy: [], maxResults: nil, pageToken: nil)
                #expect(try await store.searchLoggedModels(filtered).items.count == (found ? 1 : 0), "\(filter)")
            }
            try await store.deleteLoggedModel(id: model.modelId)
            #expect(try await store.searchLoggedModels(search).items.isEmpty)
            await #expect(throws: TrackingError.notFound("Logged model with ID '\(model.modelId)' not found.")) {
                _ = try await store.getLoggedModel(id: model.modelId, allowDeleted: false)
            }
        }
    }
}
