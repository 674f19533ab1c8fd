/// Storage for MLflow 3 logged models and the run outputs that link them to runs (the logged-model
/// part of MLflow's tracking `AbstractStore`).
package protocol LoggedModelStore: Sendable {
    func createLoggedModel(_ request: CreateLoggedModel) async throws -> LoggedModel
    func getLoggedModel(id: String, allowDeleted: Bool) async throws -> LoggedModel
    func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel
    func deleteLoggedModel(id: String) async throws
    func setLoggedModelTags(id: String, tags: [KeyValue]) async throws
    func deleteLoggedModelTag(id: String, key: String) async throws
    func logLoggedModelParams(id: String, params: [KeyValue]) async throws
    func searchLoggedModels(_ search: LoggedModelSearch) async throws -> SearchPage<LoggedModel>
    func logOutputs(runId: String, models: [ModelOutput]) async throws
    /// Metrics a run logged against logged models (`model_id` on `log-metric` and `log-batch`), as
    /// `logged_model_metrics` rows; a repeated point is kept once.
    func logModelMetrics(runId: String, metrics: [ModelMetric]) async throws
    /// Notes on the logged model that a registry version was made from it (tag `mlflow.modelVersions`).
    func recordModelVersion(modelId: String, name: String, version: Int64) async throws
}

/// The fields of `POST /logged-models` after validation; `name` is already chosen.
package struct CreateLoggedModel: Sendable {
    package var experimentId: String
    package var name: String
    package var modelType: String?
    package var sourceRunId: String?
    package var params: [KeyValue]
    package var tags: [KeyValue]

    package init(
        experimentId: String, name: String, modelType: String?, sourceRunId: String?, params: [KeyValue],
        tags: [KeyValue]
    ) {
        self.experimentId = experimentId
        self.name = name
        self.modelType = modelType
        self.sourceRunId = sourceRunId
        self.params = params
        self.tags = tags
    }
}

/// A metric point logged against a logged model.
package struct ModelMetric: Sendable, Equatable {
    package var modelId: String
    package var metric: Metric
    package var datasetName: String?
    package var datasetDigest: String?

    package init(modelId: String, metric: Metric, datasetName: String?, datasetDigest: String?) {
        self.modelId = modelId
        self.metric = metric
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }
}
