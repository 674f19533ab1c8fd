/// MLflow's `ViewType`: which lifecycle stages a search returns.
package enum ViewType: Int, Sendable, CaseIterable {
    case activeOnly = 1
    case deletedOnly = 2
    case all = 3

    package init?(name: String) {
        switch name {
        case "ACTIVE_ONLY": self = .activeOnly
        case "DELETED_ONLY": self = .deletedOnly
        case "ALL": self = .all
        default: return nil
        }
    }

    package var stages: [LifecycleStage] {
        switch self {
        case .activeOnly: [.active]
        case .deletedOnly: [.deleted]
        case .all: [.active, .deleted]
        }
    }
}

/// A test on a text column, after MLflow's comparator checks. LIKE is case-sensitive and ILIKE
/// is not, on every database.
package enum TextTest: Equatable, Sendable {
    case equal(String)
    case notEqual(String)
    case like(String)
    case ilike(String)
    case oneOf([String])
    case noneOf([String])
    case isNull
    case isNotNull

    /// Builds the test for an upper-cased comparator already known to be allowed for the value.
    init(_ comparator: String, _ value: SearchValue) throws(TrackingError) {
        switch (comparator, value) {
        case ("=", .string(let s)): self = .equal(s)
        case ("!=", .string(let s)): self = .notEqual(s)
        case ("LIKE", .string(let s)): self = .like(s)
        case ("ILIKE", .string(let s)): self = .ilike(s)
        case ("IN", .list(let items)): self = .oneOf(items)
        case ("NOT IN", .list(let items)): self = .noneOf(items)
        case ("IS NULL", _): self = .isNull
        case ("IS NOT NULL", _): self = .isNotNull
        case (_, .list(let items)):
            // MLflow hands a list to `=`/`LIKE` straight to SQL, where it fails; say what is wrong instead.
            throw .invalidParameter(
                "Comparator '\(comparator)' cannot compare with a list of values \(PythonLiteral.tuple(items.map(PythonLiteral.string)).repr); use IN or NOT IN.")
        case (_, .string), (_, _):
            throw .invalidParameter("Comparator '\(comparator)' needs a list of quoted string values: use IN (...).")
        }
    }
}

/// `= != < <= > >=` on a number.
package enum NumberComparator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
}

/// A number as written in a filter: an integer stays exact.
package enum NumberLiteral: Equatable, Sendable {
    case int(Int64)
    case double(Double)
}
