/// Python's `posixpath.normpath`, which MLflow uses to refuse keys that would alias as file names.
package enum PosixPath {
    package static func normalize(_ path: String) -> String {
        if path.isEmpty { return "." }
        // POSIX keeps exactly two leading slashes, and folds three or more into one.
        let leading = path.hasPrefix("//") && !path.hasPrefix("///") ? 2 : (path.hasPrefix("/") ? 1 : 0)
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if leading == 0 && (parts.isEmpty || parts.last == "..") {
                    parts.append(component)
                } else if !parts.isEmpty {
                    parts.removeLast()
                }
                continue
            }
            parts.append(component)
        }
        let body = parts.joined(separator: "/")
        let result = String(repeating: "/", count: leading) + body
        return result.isEmpty ? "." : result
    }
}
