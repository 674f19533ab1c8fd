import HTTPTypes
import TrackingCore

/// `artifacts/list`: the files of a run's artifact directory, for the UI's artifact browser.
package struct ArtifactsAPI: Sendable {
    let store: any TrackingStore

    package init(store: any TrackingStore) { self.store = store }

    package var endpoints: [Endpoint] { [Endpoint(.get, "artifacts/list", listArtifacts)] }

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
}
