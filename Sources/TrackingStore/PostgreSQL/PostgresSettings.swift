/// Where and how to reach a PostgreSQL database, parsed from a backend URI. Holds no PostgresNIO
/// types so that URI parsing stays testable on its own.
package struct PostgresSettings: Sendable, Equatable {
    /// libpq's `sslmode` values; `prefer` is libpq's default.
    package enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself: `<directory>/.s.PGSQL.<port>`, as libpq names it.
        case unixSocket(path: String)
    }

    package var endpoint: Endpoint
    package var user: String
    package var password: String?
    package var database: String
    package var sslMode: SSLMode

    package init(endpoint: Endpoint, user: String, password: String?, database: String, sslMode: SSLMode) {
        self.endpoint = endpoint
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }
}
