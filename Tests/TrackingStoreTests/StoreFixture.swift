import Foundation
import Logging
import PostgresNIO
import TrackingCore
import TrackingStore

/// The databases the store contract runs on: SQLite always, PostgreSQL when `TEST_POSTGRES_URI`
/// names a database on a cluster the tests may create databases in (`scripts/test` starts one).
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var available: [StoreBackend] {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URI"]?.isEmpty == false ? allCases : [.sqlite]
    }

    /// A fresh, empty database and its clean-up.
    func withDatabaseURI(_ body: (BackendURI) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString).db").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
            try await body(.sqlite(path: path))
        case .postgres:
            let name = "contract_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            let admin = try PostgresAdmin()
            try await admin.run("CREATE DATABASE \(name)")
            do {
                try await body(admin.uri(database: name))
            } catch {
                try? await admin.run("DROP DATABASE \(name) WITH (FORCE)")
                throw error
            }
            try await admin.run("DROP DATABASE \(name) WITH (FORCE)")
        }
    }

    /// A fresh, empty database with MLflow's schema, a store over it, and its clean-up.
    func withStore(
        poolSize: Int = StoreBootstrap.defaultPoolSize, _ body: (SQLTrackingStore) async throws -> Void
    ) async throws {
        try await withDatabaseURI { uri in
            try await StoreBootstrap.withStore(uri: uri, defaultArtifactRoot: "file:///artifacts", poolSize: poolSize, body)
        }
    }
}

/// Statements that cannot run inside a transaction (CREATE/DROP DATABASE), on the test cluster.
struct PostgresAdmin {
    let settings: PostgresSettings

    init() throws {
        let text = ProcessInfo.processInfo.environment["TEST_POSTGRES_URI"] ?? ""
        guard case .postgres(let settings) = try BackendURI(text) else { throw DatabaseError(.other, "TEST_POSTGRES_URI is not PostgreSQL") }
        self.settings = settings
    }

    func uri(database: String) -> BackendURI {
        var copy = settings
        copy.database = database
        return .postgres(copy)
    }

    func run(_ sql: String) async throws {
        guard case .tcp(let host, let port) = settings.endpoint else { throw DatabaseError(.other, "TCP only") }
        let configuration = PostgresConnection.Configuration(
            host: host, port: port, username: settings.user, password: settings.password, database: settings.database,
            tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "test-admin"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test-admin"))
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

import Testing

extension SQLTrackingStore {
    func makeRun(in experimentId: String? = nil, name: String? = nil) async throws -> Run {
        let experiment: String
        if let experimentId {
            experiment = experimentId
        } else {
            experiment = try await createExperiment(name: "exp-\(UUID().uuidString)", artifactLocation: nil, tags: [])
        }
        return try await createRun(CreateRun(experimentId: experiment, userId: "u", startTime: 1, runName: name, tags: []))
    }
}
