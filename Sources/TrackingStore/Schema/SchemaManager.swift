import TrackingCore

/// Creates MLflow's schema on an empty database and refuses a database at another revision.
package struct SchemaManager: Sendable {
    /// The alembic revision of MLflow 3.17.2, the only one this server reads and writes.
    package static let revision = "dc11669786a5"

    package enum State: Sendable, Equatable {
        case empty
        case current
        case otherRevision(String)
        case notMLflow
    }

    package struct RevisionMismatch: Error, CustomStringConvertible {
        package let found: String
        package var description: String {
            "The database is at MLflow schema revision '\(found)', but this server needs revision "
                + "'\(SchemaManager.revision)' (MLflow 3.17.2). Run `mlflow db upgrade <database-uri>` with "
                + "mlflow==3.17.2 to move an older database forward; a newer database needs a newer server."
        }
    }

    package struct NotMLflowDatabase: Error, CustomStringConvertible {
        package var description: String {
            "The database holds tables but no MLflow schema revision (no alembic_version row). "
                + "Point the server at an empty database or at one created by MLflow 3.17.2."
        }
    }

    private let database: any SQLDatabase

    package init(database: any SQLDatabase) { self.database = database }

    /// What the database holds now.
    package func state() async throws -> State {
        try await database.write { connection in try await Self.state(on: connection) }
    }

    /// Creates the schema and the Default experiment when the database is empty; checks the revision
    /// otherwise. Runs in one transaction under a lock, so of several servers starting at once one
    /// creates the schema and the others wait, then find it complete.
    @discardableResult
    package func prepare(defaultArtifactRoot: String, now: Int64) async throws -> State {
        try await database.write { connection in
            try await Self.lockSchema(on: connection)
            let state = try await Self.state(on: connection)
            switch state {
            case .empty:
                for statement in MLflowSchema.statements(for: connection.dialect) {
                    try await connection.executeScript(statement)
                }
                try await Self.insertDefaultExperiment(on: connection, root: defaultArtifactRoot, now: now)
            case .current:
                break
            case .otherRevision(let found):
                throw RevisionMismatch(found: found)
            case .notMLflow:
                throw NotMLflowDatabase()
            }
            for statement in MLflowSchema.searchIndexes(for: connection.dialect) { try await connection.executeScript(statement) }
            return state
        }
    }

    /// SQLite's write transaction already excludes every other writer; PostgreSQL takes a
    /// transaction-scoped advisory lock (released at commit or rollback, also if the process dies).
    private static func lockSchema(on connection: any SQLConnection) async throws {
        guard connection.dialect == .postgres else { return }
        _ = try await connection.query("SELECT pg_advisory_xact_lock(?)", [.int(schemaLockKey)])
    }

    /// An arbitrary constant naming the lock ("mlflow" in ASCII), shared by every replica.
    private static let schemaLockKey: Int64 = 0x6d6c_666c_6f77

    /// The revision recorded in `alembic_version`, if the table exists.
    package func currentRevision() async throws -> String? {
        try await database.read { connection in
            guard try await Self.tableExists("alembic_version", on: connection) else { return nil }
            return try await connection.query("SELECT version_num FROM alembic_version", []).first?.string(0)
        }
    }

    private static func state(on connection: any SQLConnection) async throws -> State {
        guard try await tableExists("alembic_version", on: connection) else {
            return try await tableCount(on: connection) == 0 ? .empty : .notMLflow
        }
        let rows = try await connection.query("SELECT version_num FROM alembic_version", [])
        guard let found = rows.first?.string(0) else { return .notMLflow }
        return found == revision ? .current : .otherRevision(found)
    }

    // PostgreSQL's catalog rather than information_schema, whose views take milliseconds to plan.
    private static func tableExists(_ name: String, on connection: any SQLConnection) async throws -> Bool {
        let sql = switch connection.dialect {
        case .sqlite: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        case .postgres: "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?"
        }
        return try await !connection.query(sql, [.text(name)]).isEmpty
    }

    private static func tableCount(on connection: any SQLConnection) async throws -> Int64 {
        let sql = switch connection.dialect {
        case .sqlite: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        case .postgres: "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
        }
        return try await connection.query(sql, []).first?.int(0) ?? 0
    }

    /// MLflow's experiment 0, created with every new database.
    private static func insertDefaultExperiment(on connection: any SQLConnection, root: String, now: Int64) async throws {
        try await connection.execute(
            """
            INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, workspace)
            VALUES (0, 'Default', ?, 'active', ?, ?, 'default')
            """,
            [.text(ArtifactLocation.append(root, "0")), .int(now), .int(now)])
    }
}
