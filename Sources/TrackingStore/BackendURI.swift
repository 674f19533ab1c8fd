import TrackingCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the data lives, parsed from MLflow's `--backend-store-uri` forms.
package enum BackendURI: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file path (or `:memory:`).
    case sqlite(path: String)
    case postgres(PostgresSettings)

    package init(_ uri: String, environment: [String: String] = BackendURI.processEnvironment()) throws {
        let lower = uri.lowercased()
        if lower.hasPrefix("sqlite:") {
            self = .sqlite(path: try Self.sqlitePath(uri))
            return
        }
        let scheme = String(lower.prefix { $0 != ":" })
        // SQLAlchemy's driver suffixes (`+psycopg2`, `+psycopg`, `+pg8000`) only name the Python driver.
        let dialect = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        guard dialect == "postgresql" || dialect == "postgres" else {
            throw TrackingError.invalidParameter(
                "Unsupported backend store URI scheme '\(scheme)'. Supported: sqlite:///path/to/file.db, "
                    + "postgresql://user:password@host:5432/database")
        }
        self = .postgres(try Self.postgresSettings(uri, scheme: scheme, environment: environment))
    }

    /// The URI with any password masked, for logs and messages.
    package var description: String {
        switch self {
        case .sqlite(let path):
            return path == ":memory:" ? "sqlite://" : "sqlite:///\(path)"
        case .postgres(let settings):
            let credentials = settings.password == nil ? settings.user : "\(settings.user):***"
            let location = switch settings.endpoint {
            case .tcp(let host, let port): "\(host.contains(":") ? "[\(host)]" : host):\(port)"
            case .unixSocket(let path): "[\(path)]"
            }
            return "postgresql://\(credentials)@\(location)/\(settings.database)?sslmode=\(settings.sslMode.rawValue)"
        }
    }

    package static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        for name in ["PGPASSWORD", "PGUSER", "PGHOST", "PGPORT", "PGDATABASE", "PGSSLMODE", "USER"] {
            if let value = getenv(name) { result[name] = String(cString: value) }
        }
        return result
    }

    /// SQLAlchemy's SQLite rules: `sqlite:///rel.db` is relative to the working directory,
    /// `sqlite:////abs/path.db` absolute, `sqlite://` in memory.
    private static func sqlitePath(_ uri: String) throws -> String {
        var rest = String(uri.dropFirst("sqlite:".count))
        guard rest.hasPrefix("//") else {
            throw TrackingError.invalidParameter("Invalid SQLite URI '\(uri)': expected sqlite:///path/to/file.db")
        }
        rest.removeFirst(2)
        if let query = rest.firstIndex(of: "?") { rest = String(rest[..<query]) }
        if rest.isEmpty || rest == "/" || rest == "/:memory:" { return ":memory:" }
        guard rest.hasPrefix("/") else {
            throw TrackingError.invalidParameter("Invalid SQLite URI '\(uri)': expected sqlite:///path/to/file.db")
        }
        rest.removeFirst()
        return rest.removingPercentEscapes
    }

    /// libpq's URI form, as psycopg2 reads it for SQLAlchemy: `scheme://[user[:password]@][host][:port][/db][?k=v&...]`.
    /// The host may be a Unix-socket directory, percent-encoded in the authority or given as `?host=`.
    /// Missing parts fall back to the `PG*` environment variables, then to libpq's defaults.
    private static func postgresSettings(_ uri: String, scheme: String, environment: [String: String]) throws -> PostgresSettings {
        func invalid(_ why: String) -> TrackingError {
            TrackingError.invalidParameter("Invalid PostgreSQL URI (\(why)); expected postgresql://user:password@host:5432/database")
        }
        var rest = Substring(uri.dropFirst(scheme.count))
        guard rest.hasPrefix("://") else { throw invalid("no '://' after the scheme") }
        rest = rest.dropFirst(3)
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                query[String(parts[0]).removingPercentEscapes] = parts.count > 1 ? String(parts[1]).removingPercentEscapes : ""
            }
            rest = rest[..<mark]
        }
        var database: String?
        if let slash = rest.firstIndex(of: "/") {
            database = String(rest[rest.index(after: slash)...]).removingPercentEscapes.nilIfEmpty
            rest = rest[..<slash]
        }
        var user: String?
        var password: String?
        // The password may itself hold '@' when not encoded, so the last '@' ends the credentials.
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon]).removingPercentEscapes
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEscapes
            } else {
                user = String(credentials).removingPercentEscapes
            }
            rest = rest[rest.index(after: at)...]
        }
        var host: String?
        var port: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("unclosed '[' in the host") }
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { port = String(after.dropFirst()) } else if !after.isEmpty { throw invalid("text after ']'") }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon]).removingPercentEscapes
            port = String(rest[rest.index(after: colon)...])
        } else {
            host = String(rest).removingPercentEscapes
        }
        host = query["host"]?.nilIfEmpty ?? host?.nilIfEmpty ?? environment["PGHOST"]?.nilIfEmpty
        port = query["port"]?.nilIfEmpty ?? port?.nilIfEmpty ?? environment["PGPORT"]?.nilIfEmpty
        let portNumber: Int
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { throw invalid("port '\(port)' is not a number from 1 to 65535") }
            portNumber = number
        } else {
            portNumber = 5432
        }
        let sslModeName = query["sslmode"]?.nilIfEmpty ?? environment["PGSSLMODE"]?.nilIfEmpty ?? defaultSSLMode
        guard let sslMode = PostgresSettings.SSLMode(rawValue: sslModeName) else {
            throw invalid("sslmode '\(sslModeName)' is not one of \(PostgresSettings.SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let resolvedUser = user?.nilIfEmpty ?? query["user"]?.nilIfEmpty ?? environment["PGUSER"]?.nilIfEmpty
            ?? environment["USER"]?.nilIfEmpty ?? "postgres"
        let endpoint: PostgresSettings.Endpoint
        if let host, host.hasPrefix("/") {
            endpoint = .unixSocket(path: host.hasSuffix(".s.PGSQL.\(portNumber)") ? host : "\(host)/.s.PGSQL.\(portNumber)")
        } else {
            endpoint = .tcp(host: host ?? "localhost", port: portNumber)
        }
        return PostgresSettings(
            endpoint: endpoint,
            user: resolvedUser,
            password: password ?? query["password"] ?? environment["PGPASSWORD"],
            database: database ?? query["dbname"]?.nilIfEmpty ?? environment["PGDATABASE"]?.nilIfEmpty ?? resolvedUser,
            sslMode: sslMode)
    }

    private static let defaultSSLMode = PostgresSettings.SSLMode.prefer.rawValue
}
