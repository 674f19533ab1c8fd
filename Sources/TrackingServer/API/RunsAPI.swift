import HTTPTypes
import TrackingCore

/// `runs/*`: the run lifecycle and everything logged to a run.
package struct RunsAPI: Sendable {
    let store: any ServerStore

    package init(store: any ServerStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.post, "runs/create", createRun),
            Endpoint(.get, "runs/get", getRun),
            Endpoint(.post, "runs/update", updateRun),
            Endpoint(.post, "runs/delete", deleteRun),
            Endpoint(.post, "runs/restore", restoreRun),
            Endpoint(.post, "runs/log-metric", logMetric),
            Endpoint(.post, "runs/log-parameter", logParam),
            Endpoint(.post, "runs/set-tag", setTag),
            Endpoint(.post, "runs/delete-tag", deleteTag),
            Endpoint(.post, "runs/log-batch", logBatch),
            Endpoint(.post, "runs/log-inputs", logInputs),
        ]
    }

    @Sendable func createRun(_ request: RequestParams) async throws -> JSONWriter {
        let experimentId = try request.optionalString("experiment_id") ?? ""
        let startTime = try request.optionalInt64("start_time") ?? 0
        let runName = try request.optionalString("run_name")
        let userId = try request.optionalString("user_id") ?? ""
        let tags = try request.keyValues("tags")
        guard !experimentId.isEmpty else {
            // MLflow's store inserts the run with an empty experiment id, which the foreign key refuses.
            throw TrackingError(.badRequest, "FOREIGN KEY constraint failed: runs/create needs an 'experiment_id'.")
        }
        let run = try await store.createRun(
            CreateRun(experimentId: experimentId, userId: userId, startTime: startTime, runName: runName, tags: tags))
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("run")
        writer.run(run, withOutputs: false)
        writer.endObject()
        return writer
    }

    @Sendable func getRun(_ request: RequestParams) async throws -> JSONWriter {
        let run = try await store.getRun(id: try request.runId())
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        writer.key("run")
        writer.run(run, withOutputs: true)
        writer.endObject()
        return writer
    }

    @Sendable func updateRun(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.runId()
        let endTime = try request.optionalInt64("end_time")
        let status = try Self.status(request)
        let runName = try request.optionalString("run_name")
        let info = try await store.updateRun(id: runId, status: status, endTime: endTime, runName: runName)
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("run_info")
        writer.runInfo(info)
        writer.endObject()
        return writer
    }

    /// RunStatus by name or proto number. An unknown name is ignored, as protobuf's parser does for MLflow.
    static func status(_ request: RequestParams) throws -> RunStatus? {
        switch request.fields["status"] {
        case nil, .null?: return nil
        case .string(let name)?: return RunStatus(rawValue: name)
        case .int(let number)? where (1...5).contains(number): return RunStatus.allCases[Int(number) - 1]
        case let other?: throw TrackingError.invalidValue("status", value: other.pythonJSON, pythonType: other.pythonTypeName)
        }
    }

    @Sendable func deleteRun(_ request: RequestParams) async throws -> JSONWriter {
        try await store.deleteRun(id: try request.strictRunId())
        return .empty
    }

    @Sendable func restoreRun(_ request: RequestParams) async throws -> JSONWriter {
        try await store.restoreRun(id: try request.strictRunId())
        return .empty
    }

    @Sendable func logMetric(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.runId()
        let key = try request.requiredString("key")
        let value = try RequestParams.double(RequestParams.present(request.fields["value"], path: "value"), path: "value")
        guard let rawTimestamp = request.fields["timestamp"], rawTimestamp != .null else {
            throw TrackingError.missingParameter("timestamp")
        }
        let timestamp = try RequestParams.int64(rawTimestamp, path: "timestamp")
        let step = try request.optionalInt64("step") ?? 0
        let metric = Metric(key: key, value: value, timestamp: timestamp, step: step)
        try Self.checkDatasetReference(
            name: try request.optionalString("dataset_name"), digest: try request.optionalString("dataset_digest"))
        try Validator.metric(metric, path: "")
        if let modelId = try request.optionalString("model_id"), !modelId.isEmpty {
            let forModel = ModelMetric(
                modelId: modelId, metric: metric, datasetName: try request.optionalString("dataset_name"),
                datasetDigest: try request.optionalString("dataset_digest"))
            try await store.logModelMetrics(runId: runId, metrics: [forModel])
        }
        try await store.logBatch(runId: runId, metrics: [metric], params: [], tags: [])
        return .empty
    }

    @Sendable func logParam(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.runId()
        let key = try request.requiredString("key")
        let value = try request.optionalString("value") ?? ""
        let param = try Validator.param(KeyValue(key: key, value: value), path: "")
        try await store.logParam(runId: runId, param: param)
        return .empty
    }

    @Sendable func setTag(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.runId()
        let key = try request.requiredString("key")
        let value = try request.optionalString("value") ?? ""
        let tag = try Validator.tag(KeyValue(key: key, value: value), path: "")
        try await store.setTag(runId: runId, tag: tag)
        return .empty
    }

    @Sendable func deleteTag(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.strictRunId()
        let key = try request.requiredString("key")
        try await store.deleteTag(runId: runId, key: key)
        return .empty
    }

    /// MLflow's `Metric` takes a dataset by name and digest together or not at all (an empty string
    /// counts as unset); it is made before the store checks anything.
    private static func checkDatasetReference(name: String?, digest: String?) throws {
        guard (name ?? "").isEmpty != (digest ?? "").isEmpty else { return }
        throw TrackingError.invalidParameter("Both dataset_name and dataset_digest must be provided if one is provided")
    }

    @Sendable func logBatch(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.strictRunId()
        // The metric messages are read once: their values here, their dataset and model references below.
        let metricItems = try request.objects("metrics")
        let metrics = try Self.batchMetrics(metricItems)
        var params: [KeyValue] = []
        for (index, item) in try request.objects("params").enumerated() {
            let key = try RequestParams.present(item["key"], path: "params[\(index)].key")
            guard case .string(let name) = key else {
                throw TrackingError.invalidValue("params[\(index)].key", value: key.pythonJSON, pythonType: key.pythonTypeName)
            }
            params.append(KeyValue(key: name, value: try RequestParams.string(item, "value", in: "params") ?? ""))
        }
        var tags: [KeyValue] = []
        for (index, item) in try request.objects("tags").enumerated() {
            let key = try RequestParams.present(item["key"], path: "tags[\(index)].key")
            guard case .string(let name) = key else {
                throw TrackingError.invalidValue("tags[\(index)].key", value: key.pythonJSON, pythonType: key.pythonTypeName)
            }
            tags.append(KeyValue(key: name, value: try RequestParams.string(item, "value", in: "tags") ?? ""))
        }
        for item in metricItems {
            try Self.checkDatasetReference(
                name: try RequestParams.string(item, "dataset_name", in: "metrics"),
                digest: try RequestParams.string(item, "dataset_digest", in: "metrics"))
        }
        // The store's checks, in MLflow's order: id format, each entity, batch limits, unique param keys.
        try Validator.runId(runId)
        for (index, metric) in metrics.enumerated() {
            try Validator.metric(metric, path: "metrics[\(index)]")
        }
        params = try params.enumerated().map { try Validator.param($0.element, path: "params[\($0.offset)]") }
        tags = try tags.enumerated().map { try Validator.tag($0.element, path: "tags[\($0.offset)]") }
        try Validator.batchLimits(metrics: metrics.count, params: params.count, tags: tags.count)
        try Validator.uniqueParamKeys(params)
        let forModels = try Self.modelMetrics(metricItems, metrics)
        try await store.logModelMetrics(runId: runId, metrics: forModels)
        try await store.logBatch(runId: runId, metrics: metrics, params: params, tags: tags)
        return .empty
    }

    /// The metrics that name a logged model (`model_id`), which MLflow also records against it.
    static func modelMetrics(_ items: [[String: JSONValue]], _ metrics: [Metric]) throws -> [ModelMetric] {
        var result: [ModelMetric] = []
        for (item, metric) in zip(items, metrics) {
            let parent = "metrics"
            guard let modelId = try RequestParams.string(item, "model_id", in: parent), !modelId.isEmpty else { continue }
            result.append(
                ModelMetric(
                    modelId: modelId, metric: metric,
                    datasetName: try RequestParams.string(item, "dataset_name", in: parent),
                    datasetDigest: try RequestParams.string(item, "dataset_digest", in: parent)))
        }
        return result
    }

    /// `metrics[i]` needs key, value and timestamp; step defaults to 0.
    static func batchMetrics(_ items: [[String: JSONValue]]) throws -> [Metric] {
        var metrics: [Metric] = []
        metrics.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let path = "metrics[\(index)]"
            let key = try RequestParams.present(item["key"], path: "\(path).key")
            let value = try RequestParams.present(item["value"], path: "\(path).value")
            let timestamp = try RequestParams.present(item["timestamp"], path: "\(path).timestamp")
            guard case .string(let name) = key else {
                throw TrackingError.invalidValue("\(path).key", value: key.pythonJSON, pythonType: key.pythonTypeName)
            }
            let step = try item["step"].flatMap { $0 == .null ? nil : $0 }.map { try RequestParams.int64($0, path: "\(path).step") }
            metrics.append(
                Metric(
                    key: name,
                    value: try RequestParams.double(value, path: "\(path).value"),
                    timestamp: try RequestParams.int64(timestamp, path: "\(path).timestamp"),
                    step: step ?? 0))
        }
        return metrics
    }

    @Sendable func logInputs(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.strictRunId()
        var inputs: [DatasetInput] = []
        for item in try request.objects("datasets") {
            var dataset: [String: JSONValue] = [:]
            if case .object(let members)? = item["dataset"] { dataset = try JSONFieldNames.normalized(members).members }
            let tags = try (item["tags"].map { value -> [KeyValue] in
                guard case .array = value else { return [] }
                return try RequestParams(json: ["tags": value]).keyValues("tags")
            } ?? [])
            inputs.append(
                DatasetInput(
                    dataset: Dataset(
                        name: try RequestParams.string(dataset, "name", in: "datasets") ?? "",
                        digest: try RequestParams.string(dataset, "digest", in: "datasets") ?? "",
                        sourceType: try RequestParams.string(dataset, "source_type", in: "datasets") ?? "",
                        source: try RequestParams.string(dataset, "source", in: "datasets") ?? "",
                        schema: try RequestParams.string(dataset, "schema", in: "datasets"),
                        profile: try RequestParams.string(dataset, "profile", in: "datasets")),
                    tags: tags))
        }
        let modelIds = try request.objects("models").compactMap { try RequestParams.string($0, "model_id", in: "models") }
        try Validator.runId(runId)
        try Validator.datasetInputs(inputs)
        try await store.logInputs(runId: runId, datasets: inputs, modelIds: modelIds)
        return .empty
    }
}
