import TrackingCore

/// Reading MLflow's nested request messages (tags, metrics, datasets) with MLflow's error paths.
extension RequestParams {
    /// A repeated `{key, value}` field; an absent value reads as "" like an unset proto string.
    package func keyValues(_ name: String) throws -> [KeyValue] {
        try objects(name).map { item in
            KeyValue(key: try Self.string(item, "key", in: name) ?? "", value: try Self.string(item, "value", in: name) ?? "")
        }
    }

    /// The elements of a repeated message field, their fields under proto names (`JSONFieldNames`).
    package func objects(_ name: String) throws -> [[String: JSONValue]] {
        switch fields[name] {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.map { item in
                guard case .object(let members) = item else {
                    throw TrackingError.invalidValue(name, value: JSONValue.array(items).pythonJSON, pythonType: "list")
                }
                return try JSONFieldNames.normalized(members).members
            }
        case let other?: throw TrackingError.invalidValue(name, value: other.pythonJSON, pythonType: other.pythonTypeName)
        }
    }

    /// A string member of a nested message; a non-string is a type error on the parent field.
    static func string(_ object: [String: JSONValue], _ key: String, in parent: String) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?:
            throw TrackingError.invalidValue(
                parent, value: JSONValue.object(object).pythonJSON, pythonType: "dict",
                detail: "field '\(key)' must be a string, got '\(other.pythonTypeName)'.")
        }
    }

    /// A value that must be present (not null, not ""), with MLflow's message for the element path.
    static func present(_ value: JSONValue?, path: String) throws -> JSONValue {
        guard let value, value != .null, value != .string("") else {
            throw TrackingError.invalidParameter(
                "Missing value for required parameter '\(path)'. See the API docs for more information about request parameters.")
        }
        return value
    }
}
