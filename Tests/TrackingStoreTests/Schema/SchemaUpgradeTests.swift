import Foundation
import Testing
import TrackingCore
import TrackingStore

/// A database at an older revision the server knows: served as it is, and moved to the head by
/// `db upgrade` with its data, to the same schema a new database gets.
@Suite("Schema revisions and upgrade")
struct SchemaUpgradeTests {
    @Test(arguments: StoreBackend.available)
    func servesAnOlderRevisionAsIs(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in try await SchemaCatalog.createOldest(on: database) }

            try await StoreBootstrap.withStore(uri: uri, defaultArtifactRoot: "file:///a") { store in
                let run = try await store.makeRun(name: "on-3.17.2")
                try await store.logBatch(
                    runId: run.info.runId, metrics: [Metric(key: "loss", value: 0.5, timestamp: 1, step: 2)],
                    params: [KeyValue(key: "lr", value: "0.1")], tags: [])
                #expect(try await store.getRun(id: run.info.runId).metrics.map(\.value) == [0.5])
                let manager = SchemaManager(database: store.database)
                #expect(try await manager.state() == .olderRevision(MLflowRevisions.oldest.id))
                #expect(try await manager.currentRevision() == MLflowRevisions.oldest.id)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func upgradeKeepsTheDataAndGivesTheHeadSchema(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in try await SchemaCatalog.createOldest(on: database) }

            let upgraded = try await StoreBootstrap.withStore(uri: uri, defaultArtifactRoot: "file:///a") { store in
                let run = try await store.makeRun(name: "before-upgrade")
                try await store.logBatch(
                    runId: run.info.runId, metrics: [Metric(key: "loss", value: 0.25, timestamp: 7, step: 3)],
                    params: [KeyValue(key: "lr", value: "0.1")], tags: [KeyValue(key: "team", value: "a")])
                // An issue with categories, for the migration's data step (MLflow writes categories as JSON).
                try await store.database.write { connection in
                    try await connection.execute(
                        """
                        INSERT INTO issues (issue_id, experiment_id, name, description, status, categories, created_timestamp,
                                            last_updated_timestamp)
                        VALUES ('issue-1', ?, 'n', 'd', 'open', ?, 11, 12)
                        """,
                        [.int(Int64(run.info.experimentId)!), .text(#"["Hallucination", "  hallucination\u001c", "Tool Error"]"#)])
            }

            let manager = SchemaManager(database: store.database)
            let result = try await manager.upgrade(defaultArtifactRoot: "file:///a", now: 1)
            #expect(result == .upgraded(from: "dc11669786a5", through: ["e7d1f4b2a9c6", "8b6ad64cb8f5", "f4a9b2c7d1e6"]))
            #expect(try await manager.currentRevision() == "f4a9b2c7d1e6")
            #expect(try await manager.upgrade(defaultArtifactRoot: "file:///a", now: 1) == .alreadyCurrent(revision: "f4a9b2c7d1e6"))

            let after = try await store.getRun(id: run.info.runId)
            #expect(after.info.runName == "before-upgrade")
            #expect(after.metrics == [Metric(key: "loss", value: 0.25, timestamp: 7, step: 3)])
            #expect(after.params == [KeyValue(key: "lr", value: "0.1")])
            #expect(after.tags.contains(KeyValue(key: "team", value: "a")))

            // What MLflow's Python makes of them: one row per distinct trimmed, lowercased category,
            // the one seen last; hashes from hashlib.
            let categories = try await store.database.read { connection in
                try await connection.query(
                    "SELECT category_hash, category FROM issue_categories WHERE issue_id = 'issue-1' ORDER BY category_hash", []
                ).map { "\($0.string(0) ?? "")=\($0.string(1) ?? "")" }
            }
            #expect(categories == [
                "09fec5a2d2ce41155efe9b9e248e0828f59a8a378a04e78f5d3b0e58f0d17f8f=Tool Error",
                "2c229d9fff93795f5e6a9d9b9ac19d6d1211b7c82c052a0aac3c95e7449137a0=  hallucination\u{1c}",
            ])
            let lastSeen = try await store.database.read { connection in
                try await connection.query("SELECT last_seen_timestamp FROM issues WHERE issue_id = 'issue-1'", []).first?.int(0)
            }
            #expect(lastSeen == 11)

            return try await SchemaCatalog.lines(of: store.database)
            }
            try await backend.withDatabaseURI { freshURI in
                let expected = try await StoreBootstrap.withDatabase(freshURI) { fresh in
                    try await SchemaManager(database: fresh).prepare(defaultArtifactRoot: "file:///a", now: 1)
                    return try await SchemaCatalog.lines(of: fresh)
                }
                #expect(Set(expected).subtracting(upgraded).sorted() == [])
                #expect(Set(upgraded).subtracting(expected).sorted() == [])
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func upgradeCreatesAnEmptyDatabaseAtTheHead(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database async throws in
                let manager = SchemaManager(database: database)
                #expect(try await manager.upgrade(defaultArtifactRoot: "file:///a", now: 1) == .created(revision: "f4a9b2c7d1e6"))
                #expect(try await manager.state() == .current)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func upgradeRefusesAnUnknownRevision(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in
                try await SchemaCatalog.createOldest(on: database)
                _ = try await database.write { connection in
                    try await connection.execute("UPDATE alembic_version SET version_num = '75868b020152'", [])
            }
            let manager = SchemaManager(database: database)
            let error = await #expect(throws: SchemaManager.RevisionMismatch.self) {
                try await manager.upgrade(defaultArtifactRoot: "file:///a", now: 1)
            }
            #expect(error?.description.contains("revisions dc11669786a5 (MLflow 3.17.2) to f4a9b2c7d1e6 (MLflow 3.18.0)") == true)
            await #expect(throws: SchemaManager.RevisionMismatch.self) {
                try await manager.prepare(defaultArtifactRoot: "file:///a", now: 1)
            }
            #expect(try await manager.currentRevision() == "75868b020152")
            }
        }
    }

    /// A failing migration leaves the database at its revision, untouched (one transaction).
    @Test(arguments: StoreBackend.available)
    func aFailedUpgradeChangesNothing(backend: StoreBackend) async throws {
        try await backend.withDatabaseURI { uri in
            try await StoreBootstrap.withDatabase(uri) { database in
                try await SchemaCatalog.createOldest(on: database)
                let before = try await SchemaCatalog.lines(of: database)
                _ = try await database.write { connection in
                    try await connection.execute(
                        """
                        INSERT INTO experiments (experiment_id, name, lifecycle_stage, workspace) VALUES (5, 'e', 'active', 'default')
                        """, [])
                    try await connection.execute(
                        """
                        INSERT INTO issues (issue_id, experiment_id, name, description, status, categories, created_timestamp,
                                            last_updated_timestamp)
                        VALUES ('bad', 5, 'n', 'd', 'open', '{"not": "a list"}', 1, 1)
                        """, [])
            }
            await #expect(throws: (any Error).self) {
                try await SchemaManager(database: database).upgrade(defaultArtifactRoot: "file:///a", now: 1)
            }
            #expect(try await SchemaManager(database: database).currentRevision() == "dc11669786a5")
            #expect(try await SchemaCatalog.lines(of: database) == before)
            }
        }
    }
}
