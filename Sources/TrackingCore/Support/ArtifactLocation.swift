/// Builds artifact locations the way MLflow's `append_to_uri_path` does: one `/` between parts.
package enum ArtifactLocation {
    package static func append(_ root: String, _ parts: String...) -> String {
        var result = root
        for part in parts {
            let trimmed = part.drop { $0 == "/" }
            if result.hasSuffix("/") {
                result += trimmed
            } else {
                result += "/" + trimmed
            }
        }
        return result
    }
}

extension String {
    /// nil for "", as proto3 cannot tell an empty string from an unset one.
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}
