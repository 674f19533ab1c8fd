/// An MLflow 3 logged model: the model a `log_model` call writes, with its own id (`m-<32 hex>`),
/// artifact location under its experiment, params, tags and metrics.
package struct LoggedModel: Sendable, Equatable {
    package var modelId: String
    package var experimentId: String
    package var name: String
    package var artifactLocation: String
    package var creationTimestamp: Int64
    package var lastUpdatedTimestamp: Int64
    package var status: LoggedModelStatus
    package var lifecycleStage: LifecycleStage
    package var modelType: String?
    package var sourceRunId: String?
    package var statusMessage: String?
    package var tags: [KeyValue]
    package var params: [KeyValue]
    package var metrics: [LoggedModelMetric]

    package init(
        modelId: String, experimentId: String, name: String, artifactLocation: String, creationTimestamp: Int64,
        lastUpdatedTimestamp: Int64, status: LoggedModelStatus, lifecycleStage: LifecycleStage, modelType: String?,
        sourceRunId: String?, statusMessage: String?, tags: [KeyValue] = [], params: [KeyValue] = [],
        metrics: [LoggedModelMetric] = []
    ) {
        self.modelId = modelId
        self.experimentId = experimentId
        self.name = name
        self.artifactLocation = artifactLocation
        self.creationTimestamp = creationTimestamp
        self.lastUpdatedTimestamp = lastUpdatedTimestamp
        self.status = status
        self.lifecycleStage = lifecycleStage
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.statusMessage = statusMessage
        self.tags = tags
        self.params = params
        self.metrics = metrics
    }
}

/// A metric recorded against a logged model (`logged_model_metrics`).
package struct LoggedModelMetric: Sendable, Equatable {
    package var key: String
    package var value: Double
    package var timestamp: Int64
    package var step: Int64
    package var runId: String
    package var datasetName: String?
    package var datasetDigest: String?

    package init(
        key: String, value: Double, timestamp: Int64, step: Int64, runId: String, datasetName: String?,
        datasetDigest: String?
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
        self.runId = runId
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }
}

/// `LoggedModelStatus`: the integer is what the `logged_models.status` column holds, the name
/// what the proto JSON carries.
package enum LoggedModelStatus: Int64, Sendable, CaseIterable {
    case unspecified = 0
    case pending = 1
    case ready = 2
    case uploadFailed = 3

    package var protoName: String {
        switch self {
        case .unspecified: "LOGGED_MODEL_STATUS_UNSPECIFIED"
        case .pending: "LOGGED_MODEL_PENDING"
        case .ready: "LOGGED_MODEL_READY"
        case .uploadFailed: "LOGGED_MODEL_UPLOAD_FAILED"
        }
    }

    package init?(protoName: String) {
        guard let match = Self.allCases.first(where: { $0.protoName == protoName }) else { return nil }
        self = match
    }
}

/// `runs/outputs`: a logged model produced by a run, at an optional step.
package struct ModelOutput: Sendable, Equatable {
    package var modelId: String
    package var step: Int64

    package init(modelId: String, step: Int64) {
        self.modelId = modelId
        self.step = step
    }
}
