#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CompressNIO
import HTTPTypes
import Hummingbird
import NIOCore
import TrackingCore

/// Serves the UI bundle's files under `/static-files/`: content types by extension, MLflow's
/// four-week caching of the hashed files, ETag revalidation, and gzip for text (the main script
/// is 4 MB, about 1 MB compressed), compressed once per file and kept in a bounded cache.
final class StaticFiles: Sendable {
    private let fileIO = FileIO()
    private let cache = GzipCache(limit: 48 * 1024 * 1024)
    /// MLflow sends `max_age=2419200` for static files: their names change with their content.
    static let cacheControl = "public, max-age=2419200"
    static let compressible: Set<String> = ["js", "css", "html", "json", "svg", "map", "txt", "ico"]

    func response(bundle: UIBundle, relativePath: String, request: Request, context: some RequestContext) async throws -> Response {
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.isEmpty, !segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") }) else {
            throw HTTPError(.notFound)
        }
        let path = bundle.directory + "/" + segments.joined(separator: "/")
        guard let status = FileStatus(path: path), status.isRegularFile else { throw HTTPError(.notFound) }
        let size = status.size
        let modified = status.modified
        let ext = segments.last.flatMap { $0.split(separator: ".").last.map(String.init) }?.lowercased() ?? ""
        let gzip = Self.compressible.contains(ext) && Self.acceptsGzip(request) && size > 1024
        let etag = "\"\(modified)-\(size)\(gzip ? "-gz" : "")\""
        var headers: HTTPFields = [
            .contentType: MediaType.getMediaType(forExtension: ext)?.description ?? "application/octet-stream",
            .cacheControl: Self.cacheControl,
            .eTag: etag,
            .vary: "Accept-Encoding",
        ]
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { String($0).trimmedWhitespace == etag }) == true {
            return Response(status: .notModified, headers: headers)
        }
        if gzip {
            let compressed = try await cache.gzipped(path: path, etag: etag)
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: compressed))
        }
        return Response(status: .ok, headers: headers, body: try await fileIO.loadFile(path: path, context: context))
    }

    static func acceptsGzip(_ request: Request) -> Bool {
        guard let accepted = request.headers[.acceptEncoding] else { return false }
        return accepted.split(separator: ",").contains { coding in
            let parts = coding.split(separator: ";").map { String($0).trimmedWhitespace.lowercased() }
            return parts.first == "gzip" && !parts.dropFirst().contains { $0 == "q=0" || $0 == "q=0.0" }
        }
    }
}

/// Gzipped file contents by path and version, up to a total size; files past it are compressed
/// for each request instead of being kept.
actor GzipCache {
    private var entries: [String: (etag: String, data: ByteBuffer)] = [:]
    private var total = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func gzipped(path: String, etag: String) throws -> ByteBuffer {
        if let entry = entries[path], entry.etag == etag { return entry.data }
        guard let contents = FileManager.default.contents(atPath: path) else { throw HTTPError(.notFound) }
        var source = ByteBuffer(bytes: contents)
        let compressed = try source.compress(with: .gzip())
        if let old = entries[path] { total -= old.data.readableBytes }
        if total + compressed.readableBytes <= limit {
            entries[path] = (etag, compressed)
            total += compressed.readableBytes
        } else {
            entries[path] = nil
        }
        return compressed
    }
}
