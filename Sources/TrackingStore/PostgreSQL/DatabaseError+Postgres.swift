import PostgresNIO

extension DatabaseError {
    /// Sorts a PostgresNIO failure by what the caller can do about it. SQLSTATE classes: 23 integrity
    /// (a unique key taken), 40 transaction rollback (deadlock, serialization), 08/57P connection and
    /// shutdown; a failure to reach the server at all is `unavailable`.
    init(postgres error: any Error, sql: String?) {
        if let error = error as? PSQLError {
            if error.code == .server, let state = error.serverInfo?[.sqlState] {
                let message = error.serverInfo?[.message] ?? "database error"
                switch state {
                case let s where s.hasPrefix("23"): self.init(.constraint, "\(state): \(message)", sql: sql)
                case "40001", "40P01": self.init(.busy, "\(state): \(message)", sql: sql)
                case let s where s.hasPrefix("08") || s.hasPrefix("57P") || s == "53300":
                    self.init(.unavailable, "\(state): \(message)", sql: sql)
                default: self.init(.other, "\(state): \(message)", sql: sql)
                }
                return
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
                .sslUnsupported, .failedToAddSSLHandler:
                self.init(.unavailable, "database connection failed: \(error.code)", sql: sql)
            default:
                self.init(.other, "database error: \(error.code)", sql: sql)
            }
            return
        }
        // The pool's own failures (connection refused, circuit breaker open) mean the server is unreachable.
        self.init(.unavailable, "database connection failed: \(error)", sql: sql)
    }
}
