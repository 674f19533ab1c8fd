import HTTPTypes
import TrackingCore

/// `metrics/*`: a metric's full history, paged, and the sampled histories the UI charts draw.
package struct MetricsAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.get, "metrics/get-history", getMetricHistory),
            Endpoint(.get, "metrics/get-history-bulk-interval", getMetricHistoryBulkInterval),
        ]
    }

    /// Served under `/ajax-api/` only, like MLflow's UI helper.
    package var ajaxOnlyEndpoints: [Endpoint] {
        [Endpoint(.get, "metrics/get-history-bulk", getMetricHistoryBulk)]
    }

    @Sendable func getMetricHistory(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.runId()
        let key = try request.requiredString("metric_key")
        let pageToken = try request.optionalString("page_token")
        // Without max_results MLflow returns the whole history in one response.
        var maxResults = Int.max - 1
        if let value = request.fields["max_results"], value != .null, let n = RequestParams.int64(value) {
            guard n > 0 else {
                throw TrackingError.invalidParameter(
                    "Invalid value \(n) for parameter 'max_results' supplied. It must be a positive integer.")
            }
            maxResults = Int(clamping: n)
        }
        let page = try await store.getMetricHistory(runId: runId, key: key, maxResults: maxResults, pageToken: pageToken)
        var writer = JSONWriter(capacity: 64 + page.metrics.count * 80)
        writer.beginObject()
        writer.metrics("metrics", page.metrics)
        writer.field("next_page_token", page.nextPageToken)
        writer.endObject()
        return writer
    }

    @Sendable func getMetricHistoryBulkInterval(_ request: RequestParams) async throws -> JSONWriter {
        let runIds = try request.stringList("run_ids")
        guard !runIds.isEmpty else { throw TrackingError.missingParameter("run_ids") }
        guard runIds.count <= Limits.bulkIntervalRunIds else {
            throw TrackingError.invalidParameter(
                "GetMetricHistoryBulkInterval request must specify at most \(Limits.bulkIntervalRunIds) run_ids. "
                    + "Received \(runIds.count) run_ids. See the API docs for more information about request parameters.")
        }
        let key = try request.requiredString("metric_key")
        let startStep = try request.optionalInt64("start_step")
        let endStep = try request.optionalInt64("end_step")
        let maxResults = try request.optionalInt64("max_results") ?? Int64(Limits.bulkIntervalMaxResults)
        guard (1...Int64(Limits.bulkIntervalMaxResults)).contains(maxResults) else {
            throw TrackingError.invalidParameter(
                "max_results must be between 1 and \(Limits.bulkIntervalMaxResults). "
                    + "See the API docs for more information about request parameters.")
        }
        var steps: ClosedRange<Int64>?
        switch (startStep, endStep) {
        case (let start?, let end?):
            guard start <= end else {
                throw TrackingError.invalidParameter(
                    "end_step must be greater than start_step. Found start_step=\(start) and end_step=\(end).")
            }
            steps = start...end
        case (nil, nil): steps = nil
        default:
            throw TrackingError.invalidParameter("If either start step or end step are specified, both must be specified.")
        }
        let metrics = try await store.getMetricHistoryBulkInterval(
            runIds: runIds, key: key, steps: steps, maxResults: Int(maxResults))
        return Self.runMetrics(metrics, emptyList: false)
    }

    @Sendable func getMetricHistoryBulk(_ request: RequestParams) async throws -> JSONWriter {
        let runIds = try request.stringList("run_id")
        guard !runIds.isEmpty else {
            throw TrackingError.invalidParameter("GetMetricHistoryBulk request must specify at least one run_id.")
        }
        guard runIds.count <= Limits.bulkHistoryRunIds else {
            throw TrackingError.invalidParameter(
                "GetMetricHistoryBulk request cannot specify more than \(Limits.bulkHistoryRunIds) run_ids. "
                    + "Received \(runIds.count) run_ids.")
        }
        guard let key = try request.optionalString("metric_key") else {
            throw TrackingError.invalidParameter("GetMetricHistoryBulk request must specify a metric_key.")
        }
        let maxResults = min(Int(try request.optionalInt64("max_results") ?? Int64(Limits.metricHistoryPage)), Limits.metricHistoryPage)
        let metrics = maxResults <= 0 ? [] : try await store.getMetricHistoryBulk(runIds: runIds, key: key, maxResults: maxResults)
        return Self.runMetrics(metrics, emptyList: true)
    }

    /// `{"metrics": [...]}` with each point's run id; the UI's bulk endpoint sends an empty list
    /// where the proto endpoints omit the field.
    static func runMetrics(_ metrics: [RunMetric], emptyList: Bool) -> JSONWriter {
        var writer = JSONWriter(capacity: 64 + metrics.count * 110)
        writer.beginObject()
        if !metrics.isEmpty || emptyList {
            writer.key("metrics")
            writer.beginArray()
            for item in metrics { writer.metric(item.metric, runId: item.runId) }
            writer.endArray()
        }
        writer.endObject()
        return writer
    }
}
