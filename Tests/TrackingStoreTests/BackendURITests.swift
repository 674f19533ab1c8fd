import Testing
import TrackingCore
import TrackingStore

@Suite("Backend URIs")
struct BackendURITests {
    typealias Settings = PostgresSettings

    static let postgresCases: [(String, Settings)] = [
        ("postgresql://u:p@db.example:5433/mlflow",
         Settings(endpoint: .tcp(host: "db.example", port: 5433), user: "u", password: "p", database: "mlflow", sslMode: .prefer)),
        ("postgresql+psycopg2://u:p@127.0.0.1/mlflow?sslmode=disable",
         Settings(endpoint: .tcp(host: "127.0.0.1", port: 5432), user: "u", password: "p", database: "mlflow", sslMode: .disable)),
        ("postgresql+psycopg://u@localhost:5432/db", Settings(endpoint: .tcp(host: "localhost", port: 5432), user: "u", password: nil, database: "db", sslMode: .prefer)),
        ("postgres://u:p%40ss%2Fw%3Ard%25@h/db?sslmode=require",
         Settings(endpoint: .tcp(host: "h", port: 5432), user: "u", password: "p@ss/w:rd%", database: "db", sslMode: .require)),
        // An unencoded '@' in the password: the last '@' ends the credentials, as libpq reads it.
        ("postgresql://u:p@ss@h:1/db", Settings(endpoint: .tcp(host: "h", port: 1), user: "u", password: "p@ss", database: "db", sslMode: .prefer)),
        ("postgresql://u:p@/db?host=/cloudsql/proj:region:inst",
         Settings(endpoint: .unixSocket(path: "/cloudsql/proj:region:inst/.s.PGSQL.5432"), user: "u", password: "p", database: "db", sslMode: .prefer)),
        ("postgresql://u@%2Fvar%2Frun%2Fpostgresql:5440/db",
         Settings(endpoint: .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5440"), user: "u", password: nil, database: "db", sslMode: .prefer)),
        ("postgresql://u@[::1]:6000/db?sslmode=verify-full",
         Settings(endpoint: .tcp(host: "::1", port: 6000), user: "u", password: nil, database: "db", sslMode: .verifyFull)),
    ]

    @Test(arguments: postgresCases)
    func postgresForms(uri: String, expected: Settings) throws {
        #expect(try BackendURI(uri, environment: [:]) == .postgres(expected))
    }

    @Test func environmentFillsTheGaps() throws {
        let uri = try BackendURI("postgresql://h/db", environment: ["PGUSER": "env-user", "PGPASSWORD": "secret", "PGSSLMODE": "disable"])
        #expect(uri == .postgres(Settings(endpoint: .tcp(host: "h", port: 5432), user: "env-user", password: "secret", database: "db", sslMode: .disable)))
    }

    @Test func passwordNeverShown() throws {
        let uri = try BackendURI("postgresql://u:hunter2@h:5432/db", environment: [:])
        #expect(!uri.description.contains("hunter2"))
        #expect(uri.description == "postgresql://u:***@h:5432/db?sslmode=prefer")
    }

    @Test(arguments: [
        ("sqlite:///mlflow.db", "mlflow.db"), ("sqlite:////tmp/a b.db", "/tmp/a b.db"), ("sqlite://", ":memory:"),
        ("sqlite:////tmp/x%20y.db", "/tmp/x y.db"),
    ])
    func sqliteForms(uri: String, path: String) throws {
        #expect(try BackendURI(uri) == .sqlite(path: path))
    }

    @Test(arguments: ["mysql://u@h/db", "postgresql:/h/db", "postgresql://u@h:notaport/db", "postgresql://h/db?sslmode=sometimes", "file:///x"])
    func refused(uri: String) {
        #expect(throws: TrackingError.self) { try BackendURI(uri, environment: [:]) }
    }

    @Test(arguments: [
        ("SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"),
        ("VALUES (?, 'what?', ?)", "VALUES ($1, 'what?', $2)"),
        ("SELECT \"odd?\" FROM t WHERE x IN (?, ?, ?)", "SELECT \"odd?\" FROM t WHERE x IN ($1, $2, $3)"),
    ])
    func placeholders(sql: String, expected: String) {
        #expect(PlaceholderRewriter.rewrite(sql) == expected)
    }
}

@Suite("PostgreSQL prepared statement slots")
struct PreparedStatementTests {
    @Test func repeatedStatementsEarnASlotPerParameterTypes() {
        let sql = "SELECT key FROM tags WHERE run_uuid = ? -- \(#function)"
        for _ in 1..<PreparedStatements.threshold {
            #expect(PreparedStatements.slot(sql: sql, binds: [.text("r")]) == nil)
        }
        let slot = PreparedStatements.slot(sql: sql, binds: [.text("r")])
        #expect(slot != nil)
        #expect(PreparedStatements.slot(sql: sql, binds: [.text("other")])?.number == slot?.number)
        // The same text with other parameter types is another statement for PostgreSQL.
        for _ in 1..<PreparedStatements.threshold { _ = PreparedStatements.slot(sql: sql, binds: [.int(1)]) }
        let typed = PreparedStatements.slot(sql: sql, binds: [.int(1)])
        #expect(typed != nil && typed?.number != slot?.number)
    }

    @Test func longParameterListsStayUnnamed() {
        let binds = Array(repeating: SQLValue.int(1), count: PreparedStatements.maximumBinds + 1)
        let sql = "SELECT 1 WHERE 1 IN (\(Array(repeating: "?", count: binds.count).joined(separator: ", ")))"
        for _ in 0...PreparedStatements.threshold {
            #expect(PreparedStatements.slot(sql: sql, binds: binds) == nil)
        }
    }
}
