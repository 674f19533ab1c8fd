import TrackingCore

/// Creates MLflow's schema on an empty database, serves a database at any revision it knows
/// (`MLflowRevisions`), upgrades one to the head on request, and refuses any other revision.
package struct SchemaManager: Sendable {
    /// The head revision: what new databases get and `upgrade` moves older ones to.
    package static var revision: String { MLflowRevisions.head.id }

    package enum State: Sendable, Equatable {
        case empty
        /// At the head revision.
        case current
        /// At an older revision the server knows and serves as it is.
        case olderRevision(String)
        /// At a revision the server does not know.
        case otherRevision(String)
        case notMLflow
    }

    /// What `upgrade` did.
    package enum Upgrade: Sendable, Equatable, CustomStringConvertible {
        case created(revision: String)
        case upgraded(from: String, through: [String])
        case alreadyCurrent(revision: String)

        package var description: String {
            switch self {
            case .created(let revision): "created schema at revision \(revision)"
            case .upgraded(let from, let through):
                "upgraded schema from revision \(from) to \(through.last ?? from) (applied \(through.joined(separator: ", ")))"
            case .alreadyCurrent(let revision): "already at revision \(revision)"
            }
        }
    }

    package struct RevisionMismatch: Error, CustomStringConvertible {
        package let found: String
        package var description: String {
            "The database is at MLflow schema revision '\(found)', which this server does not know: it serves "
                + SchemaManager.supportedRange + ". Run `mlflow db upgrade <database-uri>` with "
                + "mlflow==\(MLflowRevisions.head.release) to move an older database forward; a newer database needs a newer server."
        }
    }

    package struct NotMLflowDatabase: Error, CustomStringConvertible {
        package var description: String {
            "The database holds tables but no MLflow schema revision (no alembic_version row). "
                + "Point the server at an empty database or at one created by MLflow \(MLflowRevisions.oldest.release) "
                + "to \(MLflowRevisions.head.release)."
        }
    }

    /// "revisions dc11669786a5 (MLflow 3.17.2) to f4a9b2c7d1e6 (MLflow 3.18.0)".
    package static var supportedRange: String {
        let oldest = MLflowRevisions.oldest, head = MLflowRevisions.head
        return "revisions \(oldest.id) (MLflow \(oldest.release)) to \(head.id) (MLflow \(head.release))"
    }

    private let database: any SQLDatabase

    package init(database: any SQLDatabase) { self.database = database }

    /// What the database holds now.
    package func state() async throws -> State {
        try await database.write { connection in try await Self.state(on: connection) }
    }

    /// Creates the schema and the Default experiment when the database is empty; checks the revision
    /// otherwise, leaving a database at an older known revision as it is (`upgrade` moves it). Runs
    /// in one transaction under a lock, so of several servers starting at once one creates the
    /// schema and the others wait, then find it complete.
    @discardableResult
    package func prepare(defaultArtifactRoot: String, now: Int64) async throws -> State {
        try await database.write { connection in
            try await Self.lockSchema(on: connection)
            let state = try await Self.state(on: connection)
            switch state {
            case .empty:
                try await Self.create(on: connection, defaultArtifactRoot: defaultArtifactRoot, now: now)
            case .current, .olderRevision:
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

    /// `db upgrade`: creates the schema at the head on an empty database, or applies the migrations
    /// from the database's revision to the head, as `mlflow db upgrade` does, in one transaction
    /// under the same lock as `prepare` (a failed migration leaves the database as it was).
    package func upgrade(defaultArtifactRoot: String, now: Int64) async throws -> Upgrade {
        try await database.write { connection in
            try await Self.lockSchema(on: connection)
            let result: Upgrade
            switch try await Self.state(on: connection) {
            case .empty:
                try await Self.create(on: connection, defaultArtifactRoot: defaultArtifactRoot, now: now)
                result = .created(revision: Self.revision)
            case .current:
                result = .alreadyCurrent(revision: Self.revision)
            case .olderRevision(let found):
                let path = MLflowRevisions.path(from: found) ?? []
                for revision in path { try await Self.apply(revision, on: connection) }
                result = .upgraded(from: found, through: path.map(\.id))
            case .otherRevision(let found):
                throw RevisionMismatch(found: found)
            case .notMLflow:
                throw NotMLflowDatabase()
            }
            for statement in MLflowSchema.searchIndexes(for: connection.dialect) { try await connection.executeScript(statement) }
            return result
        }
    }

    private static func create(on connection: any SQLConnection, defaultArtifactRoot: String, now: Int64) async throws {
        for statement in MLflowSchema.statements(for: connection.dialect) {
            try await connection.executeScript(statement)
        }
        try await insertDefaultExperiment(on: connection, root: defaultArtifactRoot, now: now)
    }

    /// One revision's statements, then its id in `alembic_version`, as alembic records each step.
    private static func apply(_ revision: MLflowRevision, on connection: any SQLConnection) async throws {
        for step in revision.steps {
            switch step {
            case .sql:
                if let statement = step.statement(for: connection.dialect) { try await connection.executeScript(statement) }
            case .data(_, let apply):
                try await apply(connection)
            }
        }
        try await connection.execute(
            "UPDATE alembic_version SET version_num = ? WHERE version_num = ?", [.text(revision.id), .text(revision.parent)])
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
        if found == revision { return .current }
        return MLflowRevisions.revision(found) == nil ? .otherRevision(found) : .olderRevision(found)
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
