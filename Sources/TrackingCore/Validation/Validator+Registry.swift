/// MLflow's checks on registry names, versions, aliases and tags (`mlflow/utils/validation.py`).
extension Validator {
    package static let registryTagKeyLength = 250
    package static let registryTagValueLength = 100_000
    package static let aliasLength = 255

    /// `_validate_model_name`: not blank, no `/` or `:`, unchanged by path normalisation.
    package static func modelName(_ name: String, path: String = "name") throws {
        guard !name.trimmingPythonWhitespace.isEmpty else {
            // The store's `missing_value`, shorter than the request check's message.
            throw TrackingError.invalidParameter("Missing value for required parameter '\(path)'.")
        }
        if name.contains("/") || name.contains(":") {
            throw TrackingError.invalidParameter("Invalid model name '\(name)'. Names cannot contain '/' or ':'.")
        }
        let normalized = PosixPath.normalize(name)
        if normalized != name || normalized == "." || normalized.hasPrefix("..") || normalized.hasPrefix("/") {
            throw invalidValue(
                "name", name,
                "Names may be treated as files in certain cases, and must not resolve to other names when treated "
                    + "as such. This name would resolve to \(PythonRepr.string(normalized))")
        }
    }

    /// `_validate_model_version`: Python's `int()` of the version string.
    package static func modelVersion(_ version: String) throws -> Int64 {
        guard let number = Int64(version.trimmingPythonWhitespace) else {
            throw TrackingError.invalidParameter("Parameter 'version' must be an integer, got '\(version)'.")
        }
        return number
    }

    /// `_validate_model_alias_name`: not empty, `^[\w\-]*$`, at most 255 characters.
    package static func aliasName(_ alias: String) throws {
        guard !alias.isEmpty else { throw TrackingError.invalidParameter("Registered model alias name cannot be empty.") }
        let allowed = alias.unicodeScalars.allSatisfy { scalar in
            scalar == "-" || scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
        guard allowed else {
            throw TrackingError.invalidParameter(
                "Invalid alias name: '\(alias)'. Names may only contain alphanumerics, underscores (_), and dashes (-).")
        }
        try validateLength("Registered model alias name", aliasLength, alias)
    }

    /// `_validate_model_alias_name_reserved`: `latest` and `v<digits>` name versions already.
    package static func aliasNotReserved(_ alias: String) throws {
        if alias.lowercased() == "latest" {
            throw TrackingError.invalidParameter("'latest' alias name (case insensitive) is reserved.")
        }
        let scalars = Array(alias.unicodeScalars)
        if scalars.count >= 2, scalars[0] == "v" || scalars[0] == "V",
            scalars.dropFirst().allSatisfy({ $0.properties.numericType == .decimal })
        {
            throw TrackingError.invalidParameter("Version alias name '\(alias)' is reserved.")
        }
    }

    /// `_validate_registered_model_tag` and `_validate_model_version_tag`.
    package static func registryTag(_ tag: KeyValue) throws {
        try validateKeyName(tag.key, path: "key")
        try validateLength("key", registryTagKeyLength, tag.key)
        try validateLength("value", registryTagValueLength, tag.value)
    }

    /// `_validate_logged_model_name`.
    package static func loggedModelName(_ name: String) throws {
        let bad = ["/", ":", ".", "%", "\"", "'"]
        if name.isEmpty || bad.contains(where: { name.contains($0) }) {
            throw TrackingError.invalidParameter(
                "Invalid model name (\(PythonRepr.string(name))) provided. Model name must be a non-empty string "
                    + "and cannot contain the following characters: ('/', ':', '.', '%', '\"', \"'\")")
        }
    }
}
