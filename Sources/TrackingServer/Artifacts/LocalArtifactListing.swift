#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// One entry of an artifact directory, as `artifacts/list` reports it.
struct ArtifactFile: Sendable, Equatable {
    var path: String
    var isDir: Bool
    var fileSize: Int64?
}

/// Lists a run's artifacts where they are on this machine's filesystem (a `file:` URI or a plain
/// path), as MLflow's local artifact repository does: one level, sorted by path. Object-store
/// roots are listed by the clients that can reach them; this server has no credentials for them.
enum LocalArtifactListing {
    /// MLflow's `validate_path_is_safe`: a relative path without `..`, backslashes or `#`.
    static func validate(_ path: String) throws -> String {
        let decoded = path.removingPercentEscapes
        let invalid = TrackingError.invalidParameter("Invalid path")
        var candidate = decoded
        if candidate.hasPrefix("file:") { candidate = localPath(candidate) ?? candidate }
        if decoded.contains("#") || candidate.contains("\\") || candidate.split(separator: "/", omittingEmptySubsequences: false).contains("..")
            || candidate.hasPrefix("/") || (candidate.count >= 2 && candidate.dropFirst().first == ":")
        {
            throw invalid
        }
        return decoded
    }

    /// The local directory of an artifact URI, or nil for a remote one.
    static func localPath(_ uri: String) -> String? {
        if uri.hasPrefix("/") { return uri }
        guard uri.hasPrefix("file:") else { return nil }
        var rest = uri.dropFirst("file:".count)
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            // file://host/path: only an empty host or localhost names this machine.
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let host = rest[..<slash]
            guard host.isEmpty || host == "localhost" else { return nil }
            rest = rest[slash...]
        }
        return String(rest).removingPercentEscapes
    }

    static func list(root: String, path: String?) -> [ArtifactFile] {
        guard let base = localPath(root) else { return [] }
        let relative = path.map { $0.trimmingSlashes } ?? ""
        let directory = relative.isEmpty ? base : ArtifactLocation.append(base, relative)
        guard FileStatus(path: directory)?.isDirectory == true,
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        var files: [ArtifactFile] = []
        for name in names {
            let full = ArtifactLocation.append(directory, name)
            let entryPath = relative.isEmpty ? name : relative + "/" + name
            guard let status = FileStatus(path: full) else { continue }
            files.append(ArtifactFile(path: entryPath, isDir: status.isDirectory, fileSize: status.isDirectory ? nil : status.size))
        }
        return files.sorted { $0.path < $1.path }
    }
}

extension String {
    fileprivate var trimmingSlashes: String {
        var text = Substring(self)
        while text.hasPrefix("/") { text = text.dropFirst() }
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
