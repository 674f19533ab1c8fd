/// One metric point. `value` may be NaN; MLflow stores ±infinity as ±Double.greatestFiniteMagnitude.
package struct Metric: Sendable, Equatable {
    package var key: String
    package var value: Double
    package var timestamp: Int64
    package var step: Int64

    package init(key: String, value: Double, timestamp: Int64, step: Int64) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
    }

    package static func == (lhs: Metric, rhs: Metric) -> Bool {
        lhs.key == rhs.key && lhs.timestamp == rhs.timestamp && lhs.step == rhs.step
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    /// The value as MLflow's SQL store keeps it: infinities clamped to the largest finite double.
    package var storedValue: Double {
        if value == .infinity { return .greatestFiniteMagnitude }
        if value == -.infinity { return -.greatestFiniteMagnitude }
        return value
    }
}

/// A metric point tagged with the run it belongs to (the bulk history endpoints).
package struct RunMetric: Sendable, Equatable {
    package var runId: String
    package var metric: Metric

    package init(runId: String, metric: Metric) {
        self.runId = runId
        self.metric = metric
    }
}
