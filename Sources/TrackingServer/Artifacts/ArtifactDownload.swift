import HTTPTypes
import Hummingbird
import NIOCore
import TrackingCore

/// `GET /get-artifact?run_id=&path=` and `GET /model-versions/get-artifact?name=&version=&path=`:
/// one file of a run's or a model version's artifacts, for the UI's previews (a version page reads
/// its `MLmodel`), when the files are on this machine. As in MLflow, always an attachment (the file
/// must not render as a page of this origin) with the type MLflow guesses.
package struct ArtifactDownload: Sendable {
    let store: any ServerStore
    private let fileIO = FileIO()

    init(store: any ServerStore) { self.store = store }

    func runArtifact(_ request: Request, context: some RequestContext) async throws -> Response {
        let params = RequestParams(query: request.uri.query)
        guard let rawPath = try params.optionalString("path") else { throw TrackingError.missingParameter("path") }
        let path = try LocalArtifactListing.validate(rawPath)
        let run = try await store.getRun(id: try params.runId())
        return try await file(root: run.info.artifactUri, path: path, context: context)
    }

    func modelVersionArtifact(_ request: Request, context: some RequestContext) async throws -> Response {
        let params = RequestParams(query: request.uri.query)
        guard let rawPath = try params.optionalString("path") else { throw TrackingError.missingParameter("path") }
        let path = try LocalArtifactListing.validate(rawPath)
        let (name, version) = try ModelVersionsAPI.nameAndVersion(params)
        let root = try await store.getModelVersionDownloadURI(name: name, version: version)
        return try await file(root: root, path: path, context: context)
    }

    /// The file `path` under the artifact location `root`.
    func file(root: String, path: String, context: some RequestContext) async throws -> Response {
        guard let base = LocalArtifactListing.localPath(root) else {
            throw TrackingError(
                .resourceDoesNotExist,
                "Artifact '\(path)' is stored at \(root), which this server does not read; download it with the MLflow client.")
        }
        let file = ArtifactLocation.append(base, path)
        guard let status = FileStatus(path: file) else { throw TrackingError(.resourceDoesNotExist, "No such artifact: '\(path)'") }
        guard !status.isDirectory else {
            throw TrackingError.invalidParameter("Artifact path refers to a directory, not a file: '\(path)'")
        }
        let name = String(path.split(separator: "/").last ?? Substring(path))
        let headers: HTTPFields = [
            .contentType: Self.mimeType(name),
            .contentDisposition: Self.attachment(name),
            .cacheControl: "no-cache",
        ]
        return Response(status: .ok, headers: headers, body: try await fileIO.loadFile(path: file, context: context))
    }

    /// MLflow's `_guess_mime_type`: its text extensions (and MLmodel, MLproject) as text/plain,
    /// else by extension, else binary.
    package static func mimeType(_ name: String) -> String {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let ext = parts.count > 1 ? String(parts.last!) : name
        if textExtensions.contains(ext) { return "text/plain" }
        return MediaType.getMediaType(forExtension: ext.lowercased())?.description ?? "application/octet-stream"
    }

    static let textExtensions: Set<String> = [
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
        "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst", "ipynb", "MLmodel", "MLproject",
    ]

    /// `attachment; filename=...`, quoted when needed, with an RFC 5987 form for non-ASCII names.
    package static func attachment(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return "attachment; filename=\(quoteIfNeeded(name))" }
        let fallback = String(String.UnicodeScalarView(name.unicodeScalars.filter(\.isASCII)))
        var encoded = ""
        for byte in name.utf8 {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || "!#$&+-.^_`|~".utf8.contains(byte)
            encoded += safe ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }
        return "attachment; filename=\(quoteIfNeeded(fallback.isEmpty ? "download" : fallback)); filename*=UTF-8''\(encoded)"
    }

    private static func quoteIfNeeded(_ value: String) -> String {
        let token = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
        }
        if token && !value.isEmpty { return value }
        return "\"" + value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}

extension String {
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
