import HTTPTypes
import TrackingCore

/// The calls MLflow's UI makes besides the tracking API. Features this server does not have
/// (traces, GenAI datasets, the AI gateway, the assistant, telemetry) answer what MLflow's server
/// answers with nothing stored or configured, so the UI renders without error toasts.
package struct UISupportAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    /// Under `/ajax-api/2.0/mlflow/` only, as MLflow registers them.
    package var ajaxEndpoints: [Endpoint] {
        [
            Endpoint(.post, "experiments/search-datasets", searchDatasets),
            Endpoint(.get, "gateway-proxy", gatewayProxy),
            Endpoint(.post, "gateway-proxy", gatewayProxy),
        ]
    }

    /// Under `/api/3.0/mlflow/` and `/ajax-api/3.0/mlflow/`.
    package var v3Endpoints: [Endpoint] {
        [
            Endpoint(.post, "traces/search", searchTraces),
            Endpoint(.post, "traces/metrics", queryTraceMetrics),
            Endpoint(.post, "datasets/search", { _ in .empty }),
            Endpoint(.get, "scorers/list", { _ in .empty }),
        ]
    }

    /// Under `/ajax-api/3.0/mlflow/` only.
    package var ajaxV3Endpoints: [Endpoint] {
        [
            Endpoint(.get, "ui-telemetry", telemetryConfig),
            Endpoint(.post, "ui-telemetry", { _ in Self.object(["status": "disabled"]) }),
            Endpoint(.get, "assistant/config", assistantConfig),
            Endpoint(.get, "assistant/providers", assistantProviders),
        ]
    }

    /// The datasets used in the experiments, for the runs table's dataset column and filter.
    @Sendable func searchDatasets(_ request: RequestParams) async throws -> JSONWriter {
        let experimentIds = try request.stringList("experiment_ids")
        guard !experimentIds.isEmpty else {
            throw TrackingError.invalidParameter("SearchDatasets request must specify at least one experiment_id.")
        }
        guard experimentIds.count <= 20 else {
            throw TrackingError.invalidParameter(
                "SearchDatasets request cannot specify more than 20 experiment_ids. Received \(experimentIds.count) experiment_ids.")
        }
        let summaries = try await store.searchDatasetSummaries(experimentIds: experimentIds)
        var writer = JSONWriter(capacity: 64 + summaries.count * 128)
        writer.beginObject()
        if !summaries.isEmpty {
            writer.key("dataset_summaries")
            writer.beginArray()
            for summary in summaries {
                writer.beginObject()
                writer.field("experiment_id", summary.experimentId)
                writer.field("name", summary.name)
                writer.field("digest", summary.digest)
                writer.field("context", summary.context)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        return writer
    }

    /// No gateway is configured: MLflow then pretends an empty one runs, after checking the path.
    @Sendable func gatewayProxy(_ request: RequestParams) async throws -> JSONWriter {
        guard let path = try request.optionalString("gateway_path"), !path.isEmpty else {
            throw TrackingError.invalidParameter("Deployments proxy request must specify a gateway_path.")
        }
        var writer = JSONWriter(capacity: 24)
        writer.beginObject()
        writer.key("endpoints")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer
    }

    /// No traces are stored here: every search is empty, after MLflow's check of its one required field.
    @Sendable func searchTraces(_ request: RequestParams) async throws -> JSONWriter {
        guard request.has("locations") || request.has("experiment_ids") else { throw TrackingError.missingParameter("locations") }
        return .empty
    }

    /// With no traces, a plain count is 0 and every other aggregate (or any bucketed series) is
    /// empty, as MLflow's SQL aggregation over no rows answers.
    @Sendable func queryTraceMetrics(_ request: RequestParams) async throws -> JSONWriter {
        for name in ["experiment_ids", "view_type", "metric_name", "aggregations"] where !request.has(name) {
            throw TrackingError.missingParameter(name)
        }
        if request.has("time_interval_seconds"), !request.has("start_time_ms") || !request.has("end_time_ms") {
            throw TrackingError.invalidParameter("start_time_ms and end_time_ms are required if time_interval_seconds is set")
        }
        let bucketed = request.has("time_interval_seconds") || !((try? request.stringList("dimensions")) ?? []).isEmpty
        guard !bucketed, let metricName = try request.optionalString("metric_name"),
            case .array(let aggregations)? = request.fields["aggregations"],
            aggregations.contains(where: { $0["aggregation_type"] == .string("COUNT") })
        else { return .empty }
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("data_points")
        writer.beginArray()
        writer.beginObject()
        writer.field("metric_name", metricName)
        writer.key("values")
        writer.beginObject()
        writer.key("COUNT")
        writer.double(0)
        writer.endObject()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer
    }

    /// Telemetry is off on this server.
    @Sendable func telemetryConfig(_ request: RequestParams) async throws -> JSONWriter {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("disable_ui_events")
        writer.beginArray()
        writer.endArray()
        writer.key("disable_ui_telemetry")
        writer.bool(true)
        writer.key("ui_rollout_percentage")
        writer.int(0)
        writer.endObject()
        return writer
    }

    /// No assistant is configured.
    @Sendable func assistantConfig(_ request: RequestParams) async throws -> JSONWriter {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        for name: StaticString in ["providers", "projects"] {
            writer.key(name)
            writer.beginObject()
            writer.endObject()
        }
        writer.key("remote_access_allowed")
        writer.bool(false)
        writer.endObject()
        return writer
    }

    /// No assistant provider is available from this server.
    @Sendable func assistantProviders(_ request: RequestParams) async throws -> JSONWriter {
        var writer = JSONWriter(capacity: 32)
        writer.beginObject()
        writer.key("providers")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        return writer
    }

    private static func object(_ fields: [String: String]) -> JSONWriter {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            writer.key(escaping: name)
            writer.string(value)
        }
        writer.endObject()
        return writer
    }
}
