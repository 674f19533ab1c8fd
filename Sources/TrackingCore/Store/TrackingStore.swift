/// Everything the API needs from storage, in MLflow's terms. One SQL implementation serves SQLite
/// and PostgreSQL; tests may substitute another.
package protocol TrackingStore: Sendable {
    // Experiments
    func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) async throws -> String
    func getExperiment(id: String) async throws -> Experiment
    func getExperiment(name: String) async throws -> Experiment?
    func renameExperiment(id: String, newName: String) async throws
    func deleteExperiment(id: String) async throws
    func restoreExperiment(id: String) async throws
    func setExperimentTag(id: String, tag: KeyValue) async throws
    func deleteExperimentTag(id: String, key: String) async throws

    // Runs
    func createRun(_ request: CreateRun) async throws -> Run
    func getRun(id: String) async throws -> Run
    func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo
    func deleteRun(id: String) async throws
    func restoreRun(id: String) async throws
    func logBatch(runId: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) async throws
    func logParam(runId: String, param: KeyValue) async throws
    func setTag(runId: String, tag: KeyValue) async throws
    func deleteTag(runId: String, key: String) async throws
    func logInputs(runId: String, datasets: [DatasetInput], modelIds: [String]) async throws
    /// The distinct datasets (with their context tag) used by runs of these experiments, at most 1000.
    func searchDatasetSummaries(experimentIds: [String]) async throws -> [DatasetSummary]

    // Metric history
    func getMetricHistory(runId: String, key: String, maxResults: Int, pageToken: String?) async throws -> MetricPage
    func getMetricHistoryBulkInterval(runIds: [String], key: String, steps: ClosedRange<Int64>?, maxResults: Int)
        async throws -> [RunMetric]
    func getMetricHistoryBulk(runIds: [String], key: String, maxResults: Int) async throws -> [RunMetric]

    // Search
    func searchRuns(_ search: RunSearch) async throws -> SearchPage<Run>
    func searchExperiments(_ search: ExperimentSearch) async throws -> SearchPage<Experiment>
}

/// One page of search results and the token for the next, if more follow.
package struct SearchPage<Item: Sendable>: Sendable {
    package var items: [Item]
    package var nextPageToken: String?

    package init(items: [Item], nextPageToken: String?) {
        self.items = items
        self.nextPageToken = nextPageToken
    }

    /// MLflow's paging: `limit + 1` rows were asked for; a token only when the extra row came back.
    package init(rows: [Item], limit: Int, offset: Int) {
        items = Array(rows.prefix(limit))
        nextPageToken = rows.count > limit ? SearchPageToken.make(offset: offset + limit) : nil
    }
}

/// The fields of `runs/create` after validation.
package struct CreateRun: Sendable {
    package var experimentId: String
    package var userId: String
    package var startTime: Int64
    package var runName: String?
    package var tags: [KeyValue]

    package init(experimentId: String, userId: String, startTime: Int64, runName: String?, tags: [KeyValue]) {
        self.experimentId = experimentId
        self.userId = userId
        self.startTime = startTime
        self.runName = runName
        self.tags = tags
    }
}

/// One page of a metric's history and the token for the next, if any.
package struct MetricPage: Sendable {
    package var metrics: [Metric]
    package var nextPageToken: String?

    package init(metrics: [Metric], nextPageToken: String?) {
        self.metrics = metrics
        self.nextPageToken = nextPageToken
    }
}
