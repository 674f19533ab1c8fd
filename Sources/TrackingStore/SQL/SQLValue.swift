/// A bound value or a result column, in the few types MLflow's schema uses.
package enum SQLValue: Sendable, Equatable {
    case int(Int64)
    case double(Double)
    case text(String)
    case bool(Bool)
    case null
    /// Column arrays, bound as one PostgreSQL array each (`unnest(?::text[], ...)` inserts many rows
    /// with a handful of parameters). PostgreSQL only: the store uses them on that dialect alone.
    case texts([String])
    case doubles([Double])
    case ints([Int64])
    case bools([Bool])

    package init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    package init(_ value: Int64?) { self = value.map(SQLValue.int) ?? .null }
}

/// One result row, read by column position.
package struct SQLRow: Sendable {
    package var values: [SQLValue]

    package init(_ values: [SQLValue]) { self.values = values }

    package func string(_ i: Int) -> String? {
        switch values[i] {
        case .text(let s): s
        case .int(let n): String(n)
        case .double(let d): String(d)
        case .bool(let b): b ? "1" : "0"
        case .null, .texts, .doubles, .ints, .bools: nil
        }
    }

    package func int(_ i: Int) -> Int64? {
        switch values[i] {
        case .int(let n): n
        case .double(let d): Int64(exactly: d.rounded(.towardZero))
        case .bool(let b): b ? 1 : 0
        case .text(let s): Int64(s)
        case .null, .texts, .doubles, .ints, .bools: nil
        }
    }

    package func double(_ i: Int) -> Double? {
        switch values[i] {
        case .double(let d): d
        case .int(let n): Double(n)
        case .text(let s): Double(s)
        case .bool(let b): b ? 1 : 0
        case .null, .texts, .doubles, .ints, .bools: nil
        }
    }

    package func bool(_ i: Int) -> Bool {
        switch values[i] {
        case .bool(let b): b
        case .int(let n): n != 0
        case .double(let d): d != 0
        case .text(let s): s == "1" || s == "t" || s == "true"
        case .null, .texts, .doubles, .ints, .bools: false
        }
    }

    package func texts(_ i: Int) -> [String]? {
        if case .texts(let values) = values[i] { return values }
        return nil
    }

    package func doubles(_ i: Int) -> [Double]? {
        if case .doubles(let values) = values[i] { return values }
        return nil
    }

    package func ints(_ i: Int) -> [Int64]? {
        if case .ints(let values) = values[i] { return values }
        return nil
    }

    package func bools(_ i: Int) -> [Bool]? {
        if case .bools(let values) = values[i] { return values }
        return nil
    }
}
