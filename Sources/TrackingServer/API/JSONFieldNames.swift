import TrackingCore

/// protobuf's JSON mapping, which MLflow's request parsing follows: a field may be spelled with its
/// proto name (`run_name`) or its JSON name, the lowerCamelCase form (`runName`); a message that
/// spells one field both ways is refused.
package enum JSONFieldNames {
    /// A message's members with every JSON name turned into its proto name, and the names that came
    /// spelled as JSON names (MLflow's schema checks of required fields read proto names only).
    static func normalized(_ members: [String: JSONValue]) throws -> (members: [String: JSONValue], renamed: Set<String>) {
        // The common case, every name a proto name already: nothing to copy.
        guard members.keys.contains(where: hasUppercase) else { return (members, []) }
        var result: [String: JSONValue] = [:]
        result.reserveCapacity(members.count)
        var renamed: Set<String> = []
        for (name, value) in members where !hasUppercase(name) { result[name] = value }
        for (name, value) in members where hasUppercase(name) {
            let proto = protoName(name)
            if result[proto] != nil, !renamed.contains(proto) {
                throw TrackingError.invalidParameter("Request specifies both '\(proto)' and '\(name)'; provide only one of them.")
            }
            result[proto] = value
            renamed.insert(proto)
        }
        return (result, renamed)
    }

    /// `runName` → `run_name`: an underscore before each capital, which is lowercased (the inverse of
    /// protobuf's JSON name for a proto name).
    package static func protoName(_ name: String) -> String {
        var proto = ""
        proto.reserveCapacity(name.utf8.count + 4)
        for scalar in name.unicodeScalars {
            if scalar.value >= 65 && scalar.value <= 90 {
                proto.append("_")
                proto.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            } else {
                proto.unicodeScalars.append(scalar)
            }
        }
        return proto
    }

    private static func hasUppercase(_ name: String) -> Bool {
        name.utf8.contains { $0 >= 65 && $0 <= 90 }
    }
}
