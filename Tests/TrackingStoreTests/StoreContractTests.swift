import Foundation
import Testing
import TrackingCore
import TrackingStore

/// The behaviour every backend of the store must show, run on each available database.
@Suite("Store contract")
struct StoreContractTests {
    @Test(arguments: StoreBackend.available)
    func experimentsLifecycle(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let id = try await store.createExperiment(name: "e", artifactLocation: nil, tags: [KeyValue(key: "a", value: "1")])
            var experiment = try await store.getExperiment(id: id)
            #expect(experiment.name == "e")
            #expect(experiment.artifactLocation == "file:///artifacts/\(id)")
            #expect(experiment.tags == [KeyValue(key: "a", value: "1")])
            #expect(try await store.getExperiment(name: "e")?.experimentId == id)
            #expect(try await store.getExperiment(name: "missing") == nil)

            await #expect(throws: TrackingError(.resourceAlreadyExists, "Experiment(name=e) already exists.")) {
                _ = try await store.createExperiment(name: "e", artifactLocation: nil, tags: [])
            }
            try await store.renameExperiment(id: id, newName: "renamed")
            try await store.deleteExperiment(id: id)
            experiment = try await store.getExperiment(id: id)
            #expect(experiment.name == "renamed")
            #expect(experiment.lifecycleStage == .deleted)
            await #expect(throws: TrackingError.notFound("No Experiment with id=\(id) exists")) {
                try await store.deleteExperiment(id: id)
            }
            try await store.restoreExperiment(id: id)
            #expect(try await store.getExperiment(id: id).lifecycleStage == .active)
        }
    }

    @Test(arguments: StoreBackend.available)
    func defaultExperimentAndIds(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.getExperiment(id: "0").name == "Default")
            let first = try await store.createExperiment(name: "one", artifactLocation: nil, tags: [])
            let second = try await store.createExperiment(name: "two", artifactLocation: "s3://b/p", tags: [])
            #expect(first == "1")
            #expect(second == "2")
            #expect(try await store.getExperiment(id: second).artifactLocation == "s3://b/p")
        }
    }

    @Test(arguments: StoreBackend.available)
    func runsFollowTheirExperiment(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let run = try await store.makeRun(name: "r")
            #expect(run.info.runName == "r")
            #expect(run.tags.contains(KeyValue(key: RunTags.runName, value: "r")))
            try await store.deleteExperiment(id: run.info.experimentId)
            #expect(try await store.getRun(id: run.info.runId).info.lifecycleStage == .deleted)
            await #expect(throws: TrackingError.self) {
                try await store.logBatch(runId: run.info.runId, metrics: [], params: [KeyValue(key: "p", value: "v")], tags: [])
            }
            try await store.restoreExperiment(id: run.info.experimentId)
            #expect(try await store.getRun(id: run.info.runId).info.lifecycleStage == .active)
        }
    }

    @Test(arguments: StoreBackend.available)
    func latestMetricFollowsStepThenTimestampThenValue(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            // MLflow's own example: the latest is the largest (step, timestamp, value).
            let points = [(1.0, 100, 5), (2.0, 50, 5), (3.0, 200, 4), (0.5, 100, 5), (9.0, 100, 5)]
            for (value, timestamp, step) in points {
                try await store.logBatch(
                    runId: runId, metrics: [Metric(key: "m", value: value, timestamp: Int64(timestamp), step: Int64(step))],
                    params: [], tags: [])
            }
            let latest = try await store.getRun(id: runId).metrics
            #expect(latest == [Metric(key: "m", value: 9, timestamp: 100, step: 5)])

            try await store.logBatch(
                runId: runId,
                metrics: [Metric(key: "n", value: .nan, timestamp: 1, step: 1), Metric(key: "n", value: -1, timestamp: 1, step: 0)],
                params: [], tags: [])
            let nan = try await store.getRun(id: runId).metrics.first { $0.key == "n" }
            #expect(nan?.value.isNaN == true)
        }
    }

    /// Metric-only batches take a shorter path on PostgreSQL; it must refuse the same runs.
    @Test(arguments: StoreBackend.available)
    func metricsNeedAnActiveRun(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            try await store.deleteRun(id: runId)
            let point = Metric(key: "m", value: 1, timestamp: 10, step: 0)
            await #expect(throws: TrackingError.notActive("run", runId, current: .deleted)) {
                try await store.logBatch(runId: runId, metrics: [point], params: [], tags: [])
            }
            await #expect(throws: TrackingError.notFound("Run with id=missing not found")) {
                try await store.logBatch(runId: "missing", metrics: [point], params: [], tags: [])
            }
            try await store.restoreRun(id: runId)
            let extremes = [
                Metric(key: "m", value: .infinity, timestamp: 10, step: 1), Metric(key: "m", value: -.infinity, timestamp: 10, step: 2),
            ]
            try await store.logBatch(runId: runId, metrics: extremes, params: [], tags: [])
            let history = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 100, pageToken: nil)
            #expect(history.metrics.map(\.value) == [1.7976931348623157e308, -1.7976931348623157e308])
            #expect(try await store.getRun(id: runId).metrics.map(\.step) == [2])
        }
    }

    @Test(arguments: StoreBackend.available)
    func duplicatePointsAreStoredOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            let point = Metric(key: "m", value: 1, timestamp: 10, step: 0)
            try await store.logBatch(runId: runId, metrics: [point, point], params: [], tags: [])
            try await store.logBatch(runId: runId, metrics: [point], params: [], tags: [])
            try await store.logBatch(
                runId: runId, metrics: [Metric(key: "m", value: 2, timestamp: 10, step: 0)], params: [], tags: [])
            let history = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 100, pageToken: nil)
            #expect(history.metrics.map(\.value) == [1, 2])
        }
    }

    @Test(arguments: StoreBackend.available)
    func historyOrderAndPages(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            // Ordered by timestamp, then step, then value, whatever the order of logging.
            let metrics = [
                Metric(key: "m", value: 3, timestamp: 30, step: 0), Metric(key: "m", value: 1, timestamp: 10, step: 5),
                Metric(key: "m", value: 2, timestamp: 10, step: 6), Metric(key: "m", value: 0, timestamp: 10, step: 5),
            ]
            try await store.logBatch(runId: runId, metrics: metrics, params: [], tags: [])
            var values: [Double] = []
            var token: String?
            repeat {
                let page = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 3, pageToken: token)
                values += page.metrics.map(\.value)
                token = page.nextPageToken
            } while token != nil
            #expect(values == [0, 1, 2, 3])
        }
    }

    @Test(arguments: StoreBackend.available)
    func paramsAreWriteOnce(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            try await store.logParam(runId: runId, param: KeyValue(key: "lr", value: "0.1"))
            try await store.logParam(runId: runId, param: KeyValue(key: "lr", value: "0.1"))
            await #expect(throws: TrackingError.self) {
                try await store.logParam(runId: runId, param: KeyValue(key: "lr", value: "0.2"))
            }
            // A batch with a changed param writes none of its metrics, params or tags.
            await #expect(throws: TrackingError.self) {
                try await store.logBatch(
                    runId: runId, metrics: [Metric(key: "m", value: 1, timestamp: 1, step: 0)],
                    params: [KeyValue(key: "new", value: "x"), KeyValue(key: "lr", value: "0.3")],
                    tags: [KeyValue(key: "t", value: "v")])
            }
            let run = try await store.getRun(id: runId)
            #expect(run.params == [KeyValue(key: "lr", value: "0.1")])
            #expect(run.metrics.isEmpty)
            #expect(!run.tags.contains { $0.key == "t" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func tagsAndRunName(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun(name: "first").info.runId
            try await store.setTag(runId: runId, tag: KeyValue(key: RunTags.runName, value: "second"))
            #expect(try await store.getRun(id: runId).info.runName == "second")
            try await store.setTag(runId: runId, tag: KeyValue(key: "k", value: "1"))
            try await store.setTag(runId: runId, tag: KeyValue(key: "k", value: "2"))
            #expect(try await store.getRun(id: runId).tags.first { $0.key == "k" }?.value == "2")
            try await store.deleteTag(runId: runId, key: "k")
            await #expect(throws: TrackingError.notFound("No tag with name: k in run with id \(runId)")) {
                try await store.deleteTag(runId: runId, key: "k")
            }
            let info = try await store.updateRun(id: runId, status: .finished, endTime: 99, runName: nil)
            #expect(info.status == .finished)
            #expect(info.endTime == 99)
            #expect(info.runName == "second")
        }
    }

    @Test(arguments: StoreBackend.available)
    func datasetsAreSharedPerExperiment(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let first = try await store.makeRun()
            let second = try await store.makeRun(in: first.info.experimentId)
            let input = DatasetInput(
                dataset: Dataset(name: "d", digest: "x", sourceType: "local", source: "/data", schema: nil, profile: "p"),
                tags: [KeyValue(key: "mlflow.data.context", value: "train")])
            try await store.logInputs(runId: first.info.runId, datasets: [input], modelIds: [])
            try await store.logInputs(runId: second.info.runId, datasets: [input, input], modelIds: ["m-1"])
            let run = try await store.getRun(id: second.info.runId)
            #expect(run.datasetInputs == [input])
            #expect(run.modelInputs == ["m-1"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func bulkIntervalSamplesRows(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let runId = try await store.makeRun().info.runId
            let metrics = (0..<10).map { Metric(key: "m", value: Double($0), timestamp: Int64(100 + $0), step: Int64($0)) }
            try await store.logBatch(runId: runId, metrics: metrics, params: [], tags: [])
            let sampled = try await store.getMetricHistoryBulkInterval(runIds: [runId, "unknown"], key: "m", steps: nil, maxResults: 4)
            #expect(sampled.map(\.metric.step) == [0, 3, 6, 9])
            #expect(Set(sampled.map(\.runId)) == [runId])
            let bulk = try await store.getMetricHistoryBulk(runIds: [runId], key: "m", maxResults: 3)
            #expect(bulk.map(\.metric.step) == [0, 1, 2])
        }
    }
}

@Suite("NTILE sample positions")
struct SampleIndexTests {
    @Test(arguments: [
        (10, 320, Array(0...9)), (10, 1, [9]), (10, 2, [0, 9]), (10, 3, [0, 4, 9]), (10, 4, [0, 3, 6, 9]),
        (12, 5, [0, 3, 6, 8, 11]), (0, 5, []), (1, 1, [0]), (3, 3, [0, 1, 2]),
    ])
    func positions(count: Int, buckets: Int, expected: [Int]) {
        #expect(SQLTrackingStore.sampleIndices(count: count, buckets: buckets) == expected)
    }
}

@Suite("History page tokens")
struct HistoryPageTokenTests {
    @Test func mlflowTokensAreOffsets() async throws {
        try await StoreBackend.sqlite.withStore { store in
            let runId = try await store.makeRun().info.runId
            let metrics = (0..<5).map { Metric(key: "m", value: Double($0), timestamp: Int64($0), step: 0) }
            try await store.logBatch(runId: runId, metrics: metrics, params: [], tags: [])
            // MLflow's own token for offset 1, and our token: both continue at the second point.
            let fromMLflow = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 2, pageToken: "eyJvZmZzZXQiOiAxfQ==")
            #expect(fromMLflow.metrics.map(\.value) == [1, 2])
            let first = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 1, pageToken: nil)
            let second = try await store.getMetricHistory(runId: runId, key: "m", maxResults: 2, pageToken: first.nextPageToken)
            #expect(second.metrics.map(\.value) == [1, 2])
        }
    }

    @Test(arguments: ["%%%", "bm90anNvbg==", "eyJvZmZzZXQiOiAtMX0="])
    func badTokens(token: String) async throws {
        try await StoreBackend.sqlite.withStore { store in
            await #expect(throws: TrackingError.self) {
                _ = try await store.getMetricHistory(runId: "r", key: "m", maxResults: 1, pageToken: token)
            }
        }
    }
}
