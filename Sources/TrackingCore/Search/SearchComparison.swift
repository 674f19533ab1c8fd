/// What a filter clause compares: MLflow's canonical entity types.
package enum SearchEntity: String, Sendable {
    case metric, parameter, tag, attribute, dataset
}

/// The value side of a parsed clause, as MLflow's `_get_value` produces it.
package enum SearchValue: Equatable, Sendable {
    /// `IS NULL` / `IS NOT NULL`.
    case none
    /// A metric's number, as written (`'-1.5e3'`); converted when the comparator is checked.
    case number(String)
    /// A numeric attribute written as an integer.
    case int(Int64)
    /// A numeric attribute written with a fraction or exponent.
    case double(Double)
    case string(String)
    /// `IN (...)` / `NOT IN (...)`.
    case list([String])
}

/// One parsed clause (`metrics.loss < 1`): entity, key (quotes removed, aliases not yet
/// translated), the comparator as written (validated later, as MLflow does) and the value.
package struct SearchComparison: Equatable, Sendable {
    package var entity: SearchEntity
    package var key: String
    package var comparator: String
    package var value: SearchValue

    package init(_ entity: SearchEntity, _ key: String, _ comparator: String, _ value: SearchValue) {
        self.entity = entity
        self.key = key
        self.comparator = comparator
        self.value = value
    }
}

/// One parsed order-by entry.
package struct SearchOrder: Equatable, Sendable {
    package var entity: SearchEntity
    package var key: String
    package var ascending: Bool

    package init(_ entity: SearchEntity, _ key: String, ascending: Bool) {
        self.entity = entity
        self.key = key
        self.ascending = ascending
    }
}
