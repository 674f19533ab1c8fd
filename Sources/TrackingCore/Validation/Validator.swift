/// MLflow's checks on names, values and batch sizes, with its messages. Values are normalised
/// (long param and tag values truncated) the way MLflow's store does before writing.
package enum Validator {
    /// `invalid_value` of mlflow/utils/validation.py: the value as compact `json.dumps`.
    package static func invalidValue(_ path: String, _ value: String?, _ detail: String) -> TrackingError {
        .invalidParameter("Invalid value \(pythonDump(value)) for parameter '\(path)' supplied: \(detail)")
    }

    static func pythonDump(_ value: String?) -> String {
        guard let value else { return "null" }
        return PythonJSON.string(value)
    }

    /// Metric, param and tag keys: MLflow's character set (`^[/\w.\- :]*$`) and no change under
    /// POSIX path normalisation, since keys may become file names.
    package static func validateKeyName(_ name: String, path: String) throws {
        guard name.unicodeScalars.allSatisfy(isAllowedKeyScalar) else {
            throw invalidValue(
                path, name,
                "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), "
                    + "colon(:) and slashes (/).")
        }
        let normalized = PosixPath.normalize(name)
        if normalized != name || normalized == "." || normalized.hasPrefix("..") || normalized.hasPrefix("/") {
            throw invalidValue(
                path, name,
                "Names may be treated as files in certain cases, and must not resolve to other names when treated "
                    + "as such. This name would resolve to \(PythonRepr.string(normalized))")
        }
    }

    private static func isAllowedKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "/", ".", "-", " ", ":", "_": return true
        default:
            // Python's `\w` on str: Unicode letters and digits (and the underscore above).
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
        }
    }

    package static func validateLength(_ entity: String, _ limit: Int, _ value: String) throws {
        if value.unicodeScalars.count > limit {
            throw TrackingError.invalidParameter("'\(entity)' exceeds the maximum length of \(limit) characters")
        }
    }

    /// Python's `len` counts code points; so does the truncation.
    static func truncated(_ value: String, to limit: Int) -> String {
        value.unicodeScalars.count <= limit ? value : String(String.UnicodeScalarView(value.unicodeScalars.prefix(limit)))
    }

    // MARK: entities

    /// `_validate_metric`: the name, a non-negative timestamp, then the name's length.
    package static func metric(_ metric: Metric, path: String) throws {
        try validateKeyName(metric.key, path: joined(path, "name"))
        try metricTimestamp(metric, path: path)
        try validateLength("Metric name", Limits.entityKeyLength, metric.key)
    }

    package static func param(_ param: KeyValue, path: String) throws -> KeyValue {
        try validateKeyName(param.key, path: joined(path, "key"))
        try validateLength("Param key", Limits.entityKeyLength, param.key)
        return KeyValue(key: param.key, value: truncated(param.value, to: Limits.paramValueLength))
    }

    package static func tag(_ tag: KeyValue, path: String) throws -> KeyValue {
        try validateKeyName(tag.key, path: joined(path, "key"))
        try validateLength(joined(path, "key"), Limits.entityKeyLength, tag.key)
        return KeyValue(key: tag.key, value: truncated(tag.value, to: Limits.tagValueLength))
    }

    package static func experimentTag(_ tag: KeyValue) throws {
        try validateKeyName(tag.key, path: "key")
        try validateLength("key", Limits.experimentTagKeyLength, tag.key)
        try validateLength("value", Limits.experimentTagValueLength, tag.value)
    }

    package static func experimentName(_ name: String) throws {
        if name.isEmpty { throw TrackingError.invalidParameter("Invalid experiment name: ''") }
        if name.unicodeScalars.count > Limits.experimentNameLength {
            throw TrackingError.invalidParameter(
                "'name' exceeds the maximum length of \(Limits.experimentNameLength) characters")
        }
    }

    /// `_RUN_ID_REGEX`: `^[a-zA-Z0-9][\w\-]{0,255}$`.
    package static func runId(_ id: String, path: String = "run_id") throws {
        let scalars = Array(id.unicodeScalars)
        let valid = !scalars.isEmpty && scalars.count <= 256 && isASCIIAlphanumeric(scalars[0])
            && scalars.dropFirst().allSatisfy { $0 == "_" || $0 == "-" || $0.properties.isAlphabetic || $0.properties.numericType != nil }
        if !valid {
            throw TrackingError.invalidParameter("Invalid value \(PythonJSON.string(id)) for parameter '\(path)' supplied.")
        }
    }

    private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    // MARK: batches

    package static func batchLimits(metrics: Int, params: Int, tags: Int) throws {
        try batchLimit("metrics", Limits.metricsPerBatch, metrics)
        try batchLimit("params", Limits.paramsTagsPerBatch, params)
        try batchLimit("tags", Limits.paramsTagsPerBatch, tags)
        try batchLimit("metrics, params, and tags", Limits.entitiesPerBatch, metrics + params + tags)
    }

    private static func batchLimit(_ entity: String, _ limit: Int, _ count: Int) throws {
        if count > limit {
            throw TrackingError.invalidParameter(
                "A batch logging request can contain at most \(limit) \(entity). Got \(count) \(entity). "
                    + "Please split up \(entity) across multiple requests and try again.")
        }
    }

    package static func uniqueParamKeys(_ params: [KeyValue]) throws {
        var seen: Set<String> = []
        var duplicates: [String] = []
        for param in params where !seen.insert(param.key).inserted {
            duplicates.append(param.key)
        }
        if !duplicates.isEmpty {
            throw TrackingError.invalidParameter(
                "Duplicate parameter keys have been submitted: [\(duplicates.map(PythonRepr.string).joined(separator: ", "))]. "
                    + "Please ensure the request contains only one param value per param key.")
        }
    }

    static func joined(_ path: String, _ field: String) -> String {
        path.isEmpty ? field : "\(path).\(field)"
    }
}

extension Validator {
    /// MLflow's `_validate_dataset_inputs`: size limits on each dataset field and input tag.
    package static func datasetInputs(_ inputs: [DatasetInput]) throws {
        for input in inputs {
            let dataset = input.dataset
            try validateLength("name", Limits.datasetNameLength, dataset.name)
            try validateLength("digest", Limits.datasetDigestLength, dataset.digest)
            try validateLength("source", Limits.datasetSourceLength, dataset.source)
            if let schema = dataset.schema { try validateLength("schema", Limits.datasetSchemaLength, schema) }
            if let profile = dataset.profile { try validateLength("profile", Limits.datasetProfileLength, profile) }
            for tag in input.tags {
                try validateLength("key", Limits.inputTagKeyLength, tag.key)
                try validateLength("value", Limits.inputTagValueLength, tag.value)
            }
        }
    }

    /// `_validate_metric`'s checks beyond the name: a non-negative timestamp.
    package static func metricTimestamp(_ metric: Metric, path: String) throws {
        if metric.timestamp < 0 {
            throw invalidValueRaw(
                joined(path, "timestamp"), String(metric.timestamp),
                "metric '\(metric.key)' (value=\(pythonFloat(metric.value))). Timestamp must be a nonnegative long "
                    + "(64-bit integer) ")
        }
    }

    static func invalidValueRaw(_ path: String, _ rendered: String, _ detail: String) -> TrackingError {
        .invalidParameter("Invalid value \(rendered) for parameter '\(path)' supplied: \(detail)")
    }

    /// Python's `repr` of a float (`nan`, `inf`, `1.0`, `1e-05`), which Swift's description matches.
    package static func pythonFloat(_ value: Double) -> String {
        value.description
    }
}
