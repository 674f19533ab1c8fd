/// A validated `logged-models/search` request. Orders on metrics are not supported yet: such an
/// order is refused rather than ignored.
package struct LoggedModelSearch: Sendable, Equatable {
    package struct Order: Sendable, Equatable {
        /// A `logged_models` column.
        package var column: String
        package var ascending: Bool
    }

    package static let defaultMaxResults = 100

    package var experimentIds: [String]
    package var filters: [LoggedModelFilter]
    /// The user's keys, then newest first and `model_id` ascending unless already keys.
    package var orders: [Order]
    package var maxResults: Int
    package var offset: Int

    static let columns = [
        "model_id", "experiment_id", "name", "artifact_location", "creation_timestamp_ms", "last_updated_timestamp_ms",
        "status", "lifecycle_stage", "model_type", "source_run_id", "status_message",
    ]
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
            let column = Self.aliases[field] ?? field
            guard Self.columns.contains(column) else { throw .invalidParameter("Invalid order by field name: \(field)") }
            orders.append(Order(column: column, ascending: ascending))
        }
        if !orders.contains(where: { $0.column == "creation_timestamp_ms" }) {
            orders.append(Order(column: "creation_timestamp_ms", ascending: false))
        }
        if !orders.contains(where: { $0.column == "model_id" }) { orders.append(Order(column: "model_id", ascending: true)) }
        self.orders = orders
        self.experimentIds = experimentIds
        self.maxResults = maxResults.flatMap { $0 > 0 ? $0 : nil } ?? Self.defaultMaxResults
        offset = try SearchPageToken.offset(pageToken)
    }
}
