import TrackingCore

/// Where the data lives, parsed from MLflow's `--backend-store-uri` forms.
package enum BackendURI: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file path (or `:memory:`).
    case sqlite(path: String)

    /// Parses SQLAlchemy's SQLite URI rules: `sqlite:///rel.db` is relative to the working
    /// directory, `sqlite:////abs/path.db` absolute, `sqlite://` in memory.
    package init(_ uri: String) throws {
        let lower = uri.lowercased()
        guard lower.hasPrefix("sqlite:") else {
            let scheme = uri.split(separator: ":", maxSplits: 1).first.map(String.init) ?? uri
            throw TrackingError.invalidParameter(
                "Unsupported backend store URI scheme '\(scheme)'. Supported: sqlite:///path/to/file.db")
        }
        var rest = String(uri.dropFirst("sqlite:".count))
        guard rest.hasPrefix("//") else {
            throw TrackingError.invalidParameter("Invalid SQLite URI '\(uri)': expected sqlite:///path/to/file.db")
        }
        rest.removeFirst(2)
        if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
        if rest.isEmpty || rest == "/" || rest == "/:memory:" {
            self = .sqlite(path: ":memory:")
            return
        }
        guard rest.hasPrefix("/") else {
            throw TrackingError.invalidParameter("Invalid SQLite URI '\(uri)': expected sqlite:///path/to/file.db")
        }
        rest.removeFirst()
        self = .sqlite(path: rest.removingPercentEscapes)
    }

    package var description: String {
        switch self {
        case .sqlite(let path): path == ":memory:" ? "sqlite://" : "sqlite:///\(path)"
        }
    }
}

extension String {
    /// Decodes `%XX` escapes (URL-encoded paths and passwords); leaves malformed ones as they are.
    package var removingPercentEscapes: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
