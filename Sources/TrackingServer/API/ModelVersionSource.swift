#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// MLflow's checks on a model version's `source` for a server without an artifact proxy
/// (`_validate_source_run`, `_validate_source_model` and friends in mlflow/server/handlers.py):
/// a source must not reach files outside the run or logged model it claims to come from.
struct ModelVersionSource {
    let store: any ServerStore

    /// The source's URI parts, as Python's `urlparse` splits them.
    struct Parts {
        var scheme: String
        var netloc: String
        var path: String

        init(_ uri: String) {
            var rest = Substring(uri)
            scheme = ""
            if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex,
                rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }),
                rest.first?.isLetter == true
            {
                scheme = rest[..<colon].lowercased()
                rest = rest[rest.index(after: colon)...]
            }
            netloc = ""
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex(where: { "/?#".contains($0) }) ?? rest.endIndex
                netloc = String(rest[..<end])
                rest = rest[end...]
            }
            if let end = rest.firstIndex(where: { "?#".contains($0) }) { rest = rest[..<end] }
            path = String(rest)
        }

        var isLocal: Bool { scheme.isEmpty || scheme == "file" }
    }

    static func invalid(_ source: String, _ idName: String) -> TrackingError {
        .invalidParameter(
            "Invalid model version source: '\(source)'. The \(idName) request parameter must identify the resource that contains the source.")
    }

    /// Checks the source against the run or logged model; returns the storage location.
    func validate(source: String, runId: String?, modelId: String?) async throws -> String {
        for scheme in ["http", "https", "ftp", "sftp"] where Parts(source).scheme == scheme && !Self.isArtifactRoute(source) {
            throw TrackingError.invalidParameter(
                "'source' cannot use the '\(scheme)' scheme: the '\(scheme)' scheme addresses a host other than "
                    + "the tracking server's configured artifact storage, so the server would connect to the host named in "
                    + "the URI. Set the MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES environment variable on the server "
                    + "to allow it.")
        }
        if let modelId, !modelId.isEmpty {
            return try await validate(source: source, modelId: modelId)
        }
        try await validate(source: source, runId: runId ?? "")
        return source
    }

    private func validate(source: String, runId: String) async throws {
        let parts = Parts(source)
        if parts.isLocal {
            var shown = source
            if !runId.isEmpty {
                let run = try? await store.getRun(id: runId)
                guard let run else { throw Self.invalid(source, "run_id") }
                shown = Self.resolved(source)
                if Self.contains(root: run.info.artifactUri, path: shown) { return }
            }
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(shown)'. To use a local path as a model version source, the run_id request "
                    + "parameter has to be specified and the local path has to be contained within the artifact directory of "
                    + "the run specified by the run_id.")
        }
        try Self.noRelativeParts(source)
        switch parts.scheme {
        case "runs":
            let sourceRun = parts.path.split(separator: "/").first.map(String.init) ?? ""
            guard parts.netloc.isEmpty, !runId.isEmpty, sourceRun == runId else { throw Self.invalid(source, "run_id") }
            return
        case "models":
            if !parts.netloc.isEmpty || Self.loggedModelId(parts) != nil { throw Self.invalid(source, "model_id") }
        default: break
        }
        if Self.isArtifactRoute(source) {
            // Without an artifact proxy no run's artifacts live behind such a URI.
            throw Self.invalid(source, "run_id")
        }
    }

    private func validate(source: String, modelId: String) async throws -> String {
        let parts = Parts(source)
        let model = try? await store.getLoggedModel(id: modelId, allowDeleted: false)
        if parts.isLocal {
            guard let model else { throw Self.invalid(source, "model_id") }
            let resolved = Self.resolved(source)
            if Self.contains(root: model.artifactLocation, path: resolved) { return source }
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(resolved)'. To use a local path as a model version source, the model_id "
                    + "request parameter has to be specified and the local path has to be contained within the artifact "
                    + "directory of the run specified by the model_id.")
        }
        try Self.noRelativeParts(source)
        switch parts.scheme {
        case "models":
            if !parts.netloc.isEmpty { throw Self.invalid(source, "model_id") }
            if let sourceModel = Self.loggedModelId(parts) {
                guard sourceModel == modelId, let model else { throw Self.invalid(source, "model_id") }
                // The files are where the logged model keeps them.
                return model.artifactLocation
            }
        case "runs": throw Self.invalid(source, "model_id")
        default: break
        }
        if Self.isArtifactRoute(source) { throw Self.invalid(source, "model_id") }
        return source
    }

    /// `models:/<id>` (a logged model) rather than `models:/<name>/<version>` or `models:/<name>@<alias>`.
    static func loggedModelId(_ parts: Parts) -> String? {
        guard case .modelId(let id)? = ModelURI(parts) else { return nil }
        return id
    }

    /// What a `models:/` URI names (`_parse_model_uri`).
    enum ModelURI {
        case modelId(String)
        case version(name: String, Int64)
        case latest(name: String, stage: String?)
        case alias(name: String, String)

        init?(_ parts: Parts) {
            guard parts.path.hasPrefix("/"), parts.path.count > 1 else { return nil }
            let segments = parts.path.drop(while: { $0 == "/" }).split(separator: "/", omittingEmptySubsequences: false)
                .map(String.init)
            guard segments.count <= 2, !segments[0].allSatisfy(\.isWhitespace) else { return nil }
            if segments.count == 2 {
                let (name, suffix) = (segments[0], segments[1])
                guard !suffix.allSatisfy(\.isWhitespace) else { return nil }
                if suffix.allSatisfy(\.isNumber), let version = Int64(suffix) {
                    self = .version(name: name, version)
                } else {
                    self = .latest(name: name, stage: suffix.lowercased() == "latest" ? nil : suffix)
                }
            } else if let at = segments[0].lastIndex(of: "@") {
                let alias = String(segments[0][segments[0].index(after: at)...])
                guard !alias.allSatisfy(\.isWhitespace) else { return nil }
                self = .alias(name: String(segments[0][..<at]), alias)
            } else {
                self = .modelId(segments[0])
            }
        }
    }

    /// `_resolve_registered_model_source_lineage`: a `models:/<name>/<version|stage|latest>` or
    /// `models:/<name>@<alias>` source becomes `models:/<name>/<version>`, with that version's run
    /// unless the request names one (which must then match), and its files' location.
    func resolveLineage(source: String, runId: String?) async throws -> (source: String, runId: String?, storage: String?) {
        let parts = Parts(source)
        guard parts.scheme == "models" else { return (source, runId, nil) }
        if !parts.netloc.isEmpty {
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(source)'. Registered model sources must use the active model registry.")
        }
        guard let uri = ModelURI(parts) else { throw Self.invalid(source, "model_id") }
        let name: String
        let version: Int64
        switch uri {
        case .modelId: return (source, runId, nil)
        case .version(let n, let v): (name, version) = (n, v)
        case .alias(let n, let alias):
            _ = try await store.getRegisteredModel(name: n)
            (name, version) = (n, try await store.getModelVersion(name: n, alias: alias).version)
        case .latest(let n, let stage):
            let model = try await store.getRegisteredModel(name: n)
            if model.tags.contains(where: { $0.key == PromptTag.isPrompt && $0.value.lowercased() == "true" }) {
                throw TrackingError.invalidParameter(
                    "Invalid model version source: '\(source)'. Prompt versions cannot be used as model version sources.")
            }
            let latest = try await store.getLatestVersions(name: n, stages: stage.map { [$0] } ?? [])
            guard let newest = latest.map(\.version).max() else {
                // MLflow raises this without an error code (a 500); the caller named a version that is not there.
                throw TrackingError.invalidParameter(
                    "No versions of model with name '\(n)'\(stage.map { " and stage '\($0)'" } ?? "") found")
            }
            (name, version) = (n, newest)
        }
        let model = try await store.getRegisteredModel(name: name)
        if model.tags.contains(where: { $0.key == PromptTag.isPrompt && $0.value.lowercased() == "true" }) {
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(source)'. Prompt versions cannot be used as model version sources.")
        }
        let referenced = try await store.getModelVersion(name: name, version: version)
        if let runId, runId != (referenced.runId ?? "") {
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(source)'. The run_id and model_id request parameters must match the "
                    + "referenced model version.")
        }
        let storage = try await store.getModelVersionDownloadURI(name: name, version: version)
        return ("models:/\(name)/\(version)", runId ?? referenced.runId, storage)
    }

    static func isArtifactRoute(_ source: String) -> Bool {
        let parts = Parts(source)
        if parts.scheme == "mlflow-artifacts" { return true }
        guard parts.scheme == "http" || parts.scheme == "https" else { return false }
        return parts.path.contains("/api/2.0/mlflow-artifacts/artifacts")
    }

    /// `_validate_non_local_source_contains_relative_paths`: the decoded path must be absolute and
    /// already normal (no `..`, `.`, empty segments or a trailing slash), as Python's `resolve()` sees it.
    static func noRelativeParts(_ source: String) throws {
        var decoded = source
        while case let next = decoded.replacing("+", with: " ").removingPercentEscapes, next != decoded { decoded = next }
        var path = ""
        for c in Parts(decoded).path where !(c == "/" && path.hasSuffix("/")) { path.append(c) }
        while path.hasSuffix("/") { path.removeLast() }
        if path.contains("\0") || decoded.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            || !path.hasPrefix("/") || PosixPath.normalize(path) != path
        {
            throw TrackingError.invalidParameter(
                "Invalid model version source: '\(source)'. If supplying a source as an http, https, local file path, ftp, "
                    + "objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path "
                    + "references present. Please provide an absolute path.")
        }
    }

    /// A local source as an absolute, normalised path.
    static func resolved(_ source: String) -> String {
        var path = Parts(source).scheme == "file" ? Parts(source).path : source
        path = path.removingPercentEscapes
        if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
        return PosixPath.normalize(path)
    }

    /// Whether a local path lies in (or is) a local artifact root.
    static func contains(root: String, path: String) -> Bool {
        let rootParts = Parts(root)
        guard rootParts.isLocal else { return false }
        let rootPath = resolved(root)
        return path == rootPath || path.hasPrefix(rootPath.hasSuffix("/") ? rootPath : rootPath + "/")
    }
}
