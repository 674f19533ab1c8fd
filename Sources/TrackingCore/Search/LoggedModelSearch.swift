/// A validated `logged-models/search` request. Orders on metrics are not supported yet: such an
/// order is refused rather than ignored.
package struct LoggedModelSearch: Sendable, Equatable {
    /// The `logged_models` columns a search can filter and order by.
    package enum Column: String, Sendable, CaseIterable {
        case modelId = "model_id", experimentId = "experiment_id", name, artifactLocation = "artifact_location"
        case creationTimestamp = "creation_timestamp_ms", lastUpdatedTimestamp = "last_updated_timestamp_ms"
        case status, lifecycleStage = "lifecycle_stage", modelType = "model_type", sourceRunId = "source_run_id"
        case statusMessage = "status_message"
    }

    package struct Order: Sendable, Equatable {
        package var column: Column
        package var ascending: Bool
    }

    package static let defaultMaxResults = 100

    package var experimentIds: [String]
    package var filters: [LoggedModelFilter]
    /// The user's keys, then newest first and `model_id` ascending unless already keys.
    package var orders: [Order]
    package var maxResults: Int
    package var offset: Int

    /// MLflow's `SqlLoggedModel.ALIASES`.
    static let aliases = [
        "creation_time": "creation_timestamp_ms", "creation_timestamp": "creation_timestamp_ms",
        "last_updated_timestamp": "last_updated_timestamp_ms",
    ]

    package init(
        experimentIds: [String], filter: String, orderBy: [(field: String, ascending: Bool)], maxResults: Int?,
        pageToken: String?
    ) throws(TrackingError) {
        filters = try LoggedModelFilter.parse(filter)
        var orders: [Order] = []
        for (field, ascending) in orderBy {
            guard !field.contains(".") else {
                throw .invalidParameter("Ordering logged models by '\(field)' is not supported by this server yet.")
            }
            guard let column = Column(rawValue: Self.aliases[field] ?? field) else {
                throw .invalidParameter("Invalid order by field name: \(field)")
            }
            orders.append(Order(column: column, ascending: ascending))
        }
        if !orders.contains(where: { $0.column == .creationTimestamp }) {
            orders.append(Order(column: .creationTimestamp, ascending: false))
        }
        if !orders.contains(where: { $0.column == .modelId }) { orders.append(Order(column: .modelId, ascending: true)) }
        self.orders = orders
        self.experimentIds = experimentIds
        self.maxResults = maxResults.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultMaxResults
        offset = try SearchPageToken.offset(pageToken)
    }
}
