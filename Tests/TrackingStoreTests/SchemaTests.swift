import Foundation
import Testing
import TrackingCore
import TrackingStore

@Suite("Schema management")
struct SchemaTests {
    @Test(arguments: StoreBackend.available)
    func refusesAnotherRevision(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in
                let manager = SchemaManager(database: database)
                #expect(try await manager.state() == .empty)
                try await manager.prepare(defaultArtifactRoot: "file:///a", now: 1)
                #expect(try await manager.currentRevision() == SchemaManager.revision)
                #expect(try await manager.prepare(defaultArtifactRoot: "file:///a", now: 1) == .current)
                _ = try await database.write { connection in
                    try await connection.execute("UPDATE alembic_version SET version_num = 'abc123'", [])
                }
                await #expect(throws: SchemaManager.RevisionMismatch.self) {
                    try await manager.prepare(defaultArtifactRoot: "file:///a", now: 1)
                }
            }
        }
    }

    /// MLflow 3.18.0's schema has 71 tables (with alembic_version) on either database.
    @Test(arguments: StoreBackend.available)
    func createsEveryTable(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in
                try await SchemaManager(database: database).prepare(defaultArtifactRoot: "file:///a", now: 1)
                let sql = switch database.dialect {
                case .sqlite: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                case .postgres: "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                }
                let count = try await database.read { connection in try await connection.query(sql, []).first?.int(0) }
                #expect(count == 71)
            }
        }
    }

    /// Replicas starting together on an empty database: one creates the schema, the others wait for
    /// it and find it complete; the Default experiment exists once.
    @Test(arguments: StoreBackend.available)
    func concurrentStartersCreateOnce(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            let states = try await withThrowingTaskGroup(of: SchemaManager.State.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await StoreBootstrap.withDatabase(uri, poolSize: 2) { database in
                            try await SchemaManager(database: database).prepare(defaultArtifactRoot: "file:///a", now: 1)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(states.filter { $0 == .empty }.count == 1)
            #expect(states.filter { $0 == .current }.count == 3)
            let defaults = try await StoreBootstrap.withDatabase(uri) { database in
                try await database.read { connection in
                    try await connection.query("SELECT count(*) FROM experiments WHERE experiment_id = 0", []).first?.int(0)
                }
            }
            #expect(defaults == 1)
        }
    }

    @Test func refusesATableFullOfSomethingElse() async throws {
        try await StoreBackend.sqlite.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in
                _ = try await database.write { connection in try await connection.execute("CREATE TABLE other (x INTEGER)", []) }
                await #expect(throws: SchemaManager.NotMLflowDatabase.self) {
                    try await SchemaManager(database: database).prepare(defaultArtifactRoot: "file:///a", now: 1)
                }
            }
        }
    }
}
