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
