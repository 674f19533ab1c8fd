#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// The fields of one request (a JSON body, or a query string for GET) with MLflow's checks and
/// error messages for absent or mistyped values.
///
/// Query-string values are all strings; like MLflow's protobuf parsing, typed accessors accept
/// a string that spells a value of the wanted type.
package struct RequestParams: Sendable {
    package let fields: [String: JSONValue]
    /// Repeated query keys (`run_ids=a&run_ids=b`); empty for JSON bodies.
    private let repeated: [String: [String]]
    /// Fields a JSON body spelled with their JSON names (`runName`): read as values, but absent for
    /// the checks of required fields, which MLflow makes on proto names only.
    private var renamed: Set<String> = []
    /// Values taken from the URL path (`logged-models/{model_id}`), by parameter name.
    package var path: [String: String] = [:]

    package init(json: [String: JSONValue]) {
        fields = json
        repeated = [:]
    }

    /// Parses a body; a body that is not a JSON object counts as `{}` (MLflow then reports the
    /// first missing required field). Fields may be spelled with their proto or their JSON names,
    /// not both (`JSONFieldNames`); GET query strings take proto names only, as in MLflow.
    package init(body: [UInt8]) throws {
        var value = try? JSONParser.parse(body)
        // Older clients double-encode the body as a JSON string; MLflow decodes it again.
        if case .string(let inner)? = value { value = try? JSONParser.parse(Array(inner.utf8)) }
        if case .object(let members)? = value {
            let normalized = try JSONFieldNames.normalized(members)
            self.init(json: normalized.members)
            renamed = normalized.renamed
        } else {
            self.init(json: [:])
        }
    }

    package init(query: String?) {
        var first: [String: JSONValue] = [:]
        var all: [String: [String]] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if first[key] == nil { first[key] = .string(value) }
            all[key, default: []].append(value)
        }
        fields = first
        repeated = all
    }

    private static func decode(_ part: Substring) -> String {
        String(part).replacing("+", with: " ").removingPercentEscapes
    }

    package func has(_ name: String) -> Bool {
        if let value = fields[name], value != .null { return true }
        return false
    }

    // MARK: strings

    package func optionalString(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw TrackingError.invalidValue(name, value: other.pythonJSON, pythonType: other.pythonTypeName)
        }
    }

    /// A string that must be present and non-empty (proto3 cannot tell "" from unset), under its
    /// proto name.
    package func requiredString(_ name: String) throws -> String {
        guard !renamed.contains(name), let value = try optionalString(name), !value.isEmpty else {
            throw TrackingError.missingParameter(name)
        }
        return value
    }

    /// `run_id`, or its deprecated alias `run_uuid` that older clients send (proto names: MLflow
    /// requires the field).
    package func runId() throws -> String {
        if !renamed.contains("run_id"), let id = try optionalString("run_id"), !id.isEmpty { return id }
        if !renamed.contains("run_uuid"), let id = try optionalString("run_uuid"), !id.isEmpty { return id }
        throw TrackingError.missingParameter("run_id")
    }

    /// A repeated string field: a JSON array, or every occurrence of a query key.
    package func stringList(_ name: String) throws -> [String] {
        if let values = repeated[name] { return values }
        switch fields[name] {
        case nil, .null?: return []
        case .array(let items)?:
            return try items.map { item in
                guard case .string(let s) = item else {
                    throw TrackingError.invalidValue(name, value: item.pythonJSON, pythonType: item.pythonTypeName)
                }
                return s
            }
        // A JSON string where a list belongs fails MLflow's protobuf parsing and then its schema check.
        case let other?: throw TrackingError.invalidValue(name, value: other.pythonJSON, pythonType: other.pythonTypeName)
        }
    }

    // MARK: numbers

    package func optionalInt64(_ name: String) throws -> Int64? {
        guard let value = fields[name], value != .null else { return nil }
        guard let n = Self.int64(value) else {
            throw TrackingError.invalidValue(name, value: value.pythonJSON, pythonType: value.pythonTypeName)
        }
        return n
    }

    package func requiredInt64(_ name: String) throws -> Int64 {
        guard !renamed.contains(name), let n = try optionalInt64(name) else { throw TrackingError.missingParameter(name) }
        return n
    }

    /// An int64 as protobuf's JSON parser reads it: a JSON integer, an integral float, or a string of digits.
    package static func int64(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let n): return n
        case .double(let d): return d.rounded() == d ? Int64(exactly: d) : nil
        case .string(let s): return Int64(s.trimmedWhitespace)
        default: return nil
        }
    }

    /// A double as protobuf's JSON parser reads it: a number, or a string such as "NaN", "Infinity", "1.5".
    package static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let n): return Double(n)
        case .double(let d): return d
        case .string(let s):
            switch s {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: return Double(s)
            }
        default: return nil
        }
    }

    package func optionalBool(_ name: String) throws -> Bool? {
        switch fields[name] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        case .string(let s)? where ["true", "false"].contains(s.lowercased()): return s.lowercased() == "true"
        case let other?: throw TrackingError.invalidValue(name, value: other.pythonJSON, pythonType: other.pythonTypeName)
        }
    }
}

extension RequestParams {
    /// `run_id` for the endpoints where MLflow reads only that field: the schema check accepts
    /// `run_uuid` in its place, but the id used is then "" (so the run is not found).
    package func strictRunId() throws -> String {
        if !renamed.contains("run_id"), let id = try optionalString("run_id"), !id.isEmpty { return id }
        if !renamed.contains("run_uuid"), let alias = try optionalString("run_uuid"), !alias.isEmpty, fields["run_id"] == nil {
            return ""
        }
        throw TrackingError.missingParameter("run_id")
    }

    /// A required int64 field that may come from a nested message (`metrics[0].timestamp`).
    static func int64(_ value: JSONValue, path: String) throws -> Int64 {
        guard let n = int64(value) else {
            throw TrackingError.invalidValue(path, value: value.pythonJSON, pythonType: value.pythonTypeName)
        }
        return n
    }

    static func double(_ value: JSONValue, path: String) throws -> Double {
        if case .bool(let b) = value { return b ? 1 : 0 }  // protobuf's parser reads true/false as 1.0/0.0
        guard let d = double(value) else {
            throw TrackingError.invalidValue(path, value: value.pythonJSON, pythonType: value.pythonTypeName)
        }
        return d
    }
}
