import HTTPTypes
import TrackingCore

/// `artifacts/list`: the files of a run's artifact directory, for the UI's artifact browser; and
/// `artifacts/presigned-download-url`, which the UI tries before reading a file.
package struct ArtifactsAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    package var endpoints: [Endpoint] {
        [
            Endpoint(.get, "artifacts/list", listArtifacts),
            Endpoint(.post, "artifacts/presigned-download-url", createPresignedDownloadUrl),
        ]
    }

    @Sendable func listArtifacts(_ request: RequestParams) async throws -> JSONWriter {
        let path = try request.optionalString("path").map(LocalArtifactListing.validate)
        let run = try await store.getRun(id: try request.runId())
        let files = LocalArtifactListing.list(root: run.info.artifactUri, path: path)
        var writer = JSONWriter(capacity: 256 + files.count * 96)
        writer.beginObject()
        writer.field("root_uri", run.info.artifactUri)
        if !files.isEmpty {
            writer.key("files")
            writer.beginArray()
            for file in files {
                writer.beginObject()
                writer.field("path", file.path)
                writer.key("is_dir")
                writer.bool(file.isDir)
                writer.field("file_size", file.fileSize)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        return writer
    }

    /// MLflow's checks in its order (required fields, a safe path, the expiration's range, the run,
    /// a direct artifact URI), then its answer for a repository that cannot presign: this server
    /// holds no storage credentials, so a local or an object-store root alike (MLflow presigns for
    /// the object stores it holds credentials for).
    @Sendable func createPresignedDownloadUrl(_ request: RequestParams) async throws -> JSONWriter {
        let runId = try request.requiredString("run_id")
        let path = try request.requiredString("path")
        let expiration = try request.optionalInt64("expiration")
        _ = try LocalArtifactListing.validate(path)
        // MLFLOW_PRESIGNED_DOWNLOAD_URL_TTL_SECONDS's default; cloud providers cap signed URLs at 7 days.
        let seconds = expiration ?? 300
        guard (1...604_800).contains(seconds) else {
            throw TrackingError.invalidParameter("expiration must be between 1 and 604800 seconds (got \(seconds)).")
        }
        let run = try await store.getRun(id: runId)
        let scheme = run.info.artifactUri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        if ["http", "https", "mlflow-artifacts"].contains(scheme), run.info.artifactUri.contains(":") {
            throw TrackingError.invalidParameter(
                "Presigned download is not supported for runs with proxied artifact storage (artifact URI scheme: \(scheme)). "
                    + "This endpoint requires a run with a direct cloud storage artifact URI.")
        }
        throw TrackingError(.notImplemented, "Presigned download is not supported for the current artifact repository")
    }
}
