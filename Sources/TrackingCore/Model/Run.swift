/// The `info` part of a run.
package struct RunInfo: Sendable, Equatable {
    package var runId: String
    package var experimentId: String
    package var runName: String
    package var userId: String
    package var status: RunStatus
    package var startTime: Int64?
    package var endTime: Int64?
    package var artifactUri: String
    package var lifecycleStage: LifecycleStage

    package init(
        runId: String, experimentId: String, runName: String, userId: String, status: RunStatus,
        startTime: Int64?, endTime: Int64?, artifactUri: String, lifecycleStage: LifecycleStage
    ) {
        self.runId = runId
        self.experimentId = experimentId
        self.runName = runName
        self.userId = userId
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.artifactUri = artifactUri
        self.lifecycleStage = lifecycleStage
    }
}

/// A run with its latest metrics, params, tags and inputs.
package struct Run: Sendable, Equatable {
    package var info: RunInfo
    package var metrics: [Metric]
    package var params: [KeyValue]
    package var tags: [KeyValue]
    package var datasetInputs: [DatasetInput]
    package var modelInputs: [String]
    /// Logged models the run produced (`runs/outputs`).
    package var modelOutputs: [ModelOutput] = []

    package init(
        info: RunInfo, metrics: [Metric] = [], params: [KeyValue] = [], tags: [KeyValue] = [],
        datasetInputs: [DatasetInput] = [], modelInputs: [String] = []
    ) {
        self.info = info
        self.metrics = metrics
        self.params = params
        self.tags = tags
        self.datasetInputs = datasetInputs
        self.modelInputs = modelInputs
    }
}
