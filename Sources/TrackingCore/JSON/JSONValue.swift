
/// A parsed JSON document, keeping what MLflow's request validation needs: integers apart from
/// floats, and the Python type name and `json.dumps` text of a value for error messages.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The name Python gives the type of this value once parsed by `json.loads`.
    package var pythonTypeName: String {
        switch self {
        case .null: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }

    /// The value as MLflow's `invalid_value` prints it: `json.dumps(value, sort_keys=True, separators=(",", ":"))`.
    package var pythonJSON: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .double(let d):
            if d.isNaN { return "NaN" }
            if d.isInfinite { return d > 0 ? "Infinity" : "-Infinity" }
            return String(d)
        case .string(let s): return PythonJSON.string(s)
        case .array(let items): return "[" + items.map(\.pythonJSON).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }
                .map { PythonJSON.string($0.key) + ":" + $0.value.pythonJSON }
                .joined(separator: ",") + "}"
        }
    }

    /// The value as Python's `repr()` prints it once parsed by `json.loads` (keys in sorted order,
    /// since the parsed object keeps no order).
    package var pythonRepr: String {
        switch self {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let n): return String(n)
        case .double(let d): return PythonRepr.float(d)
        case .string(let s): return PythonRepr.string(s)
        case .array(let items): return "[" + items.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }
                .map { PythonRepr.string($0.key) + ": " + $0.value.pythonRepr }
                .joined(separator: ", ") + "}"
        }
    }
}
