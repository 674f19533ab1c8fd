import TrackingCore

/// A batch of metric points as MLflow stores them (NaN as 0 with `is_nan`, ±Inf clamped), in
/// columns for array binding, with the newest point per key for `latest_metrics`.
struct MetricRows {
    struct Point: Hashable {
        var key: String
        var value: Double
        var timestamp: Int64
        var step: Int64
        var isNaN: Bool

        /// MLflow's "newer" for latest_metrics: max step, then timestamp, then value.
        func isNewer(than other: Point) -> Bool {
            (step, timestamp, value) > (other.step, other.timestamp, other.value)
        }
    }

    var points: [Point] = []
    /// One point per key, in key order (a fixed order keeps concurrent upserts from deadlocking).
    var latest: [Point] = []

    /// With `distinct`, exact repeats within the batch are dropped (MLflow stores a point once).
    init(_ metrics: [Metric], distinct: Bool = false) {
        points.reserveCapacity(metrics.count)
        var newest: [String: Point] = [:]
        var seen: Set<Point> = []
        for metric in metrics {
            let isNaN = metric.value.isNaN
            let point = Point(
                key: metric.key, value: isNaN ? 0 : metric.storedValue, timestamp: metric.timestamp, step: metric.step,
                isNaN: isNaN)
            if distinct, !seen.insert(point).inserted { continue }
            points.append(point)
            if let current = newest[point.key], !point.isNewer(than: current) { continue }
            newest[point.key] = point
        }
        latest = newest.values.sorted { $0.key < $1.key }
    }

    /// The columns of a point, in the order of `columns(_:)`.
    static let pointColumns: [(String, BulkInsert.ColumnType)] = [
        ("key", .text), ("value", .double), ("timestamp", .int), ("step", .int), ("is_nan", .bool),
    ]

    /// Column arrays for `unnest(?::text[], ?::float8[], ?::int8[], ?::int8[], ?::bool[])`.
    static func columns(_ points: [Point]) -> [SQLValue] {
        [.texts(points.map(\.key)), .doubles(points.map(\.value)), .ints(points.map(\.timestamp)),
         .ints(points.map(\.step)), .bools(points.map(\.isNaN))]
    }
}
