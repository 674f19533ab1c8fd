/// One alembic revision of MLflow's schema that this server knows: where it comes from, what it
/// touches, and how to apply it to a database at its parent revision.
package struct MLflowRevision: Sendable {
    /// The alembic revision id (`alembic_version.version_num`).
    package let id: String
    /// The first MLflow release whose schema head is this revision or a later one.
    package let release: String
    /// The revision this one migrates from (its `down_revision`).
    package let parent: String
    /// What the revision does, in a few words (its migration file's title).
    package let summary: String
    /// Every table the revision creates, alters, drops or writes rows of, besides `alembic_version`.
    package let touches: Set<String>
    /// The tables the server uses (`MLflowSchema.tablesTheServerUses`) that this revision touches, each
    /// with why the server still reads and writes it correctly: someone looked.
    package let reviewed: [String: String]
    /// The migration, statement by statement, as alembic runs it on each database (empty for the
    /// oldest revision, whose schema the server never builds by migration).
    package let steps: [MigrationStep]

    package init(
        id: String, release: String, parent: String, summary: String, touches: Set<String>,
        reviewed: [String: String] = [:], steps: [MigrationStep]
    ) {
        self.id = id
        self.release = release
        self.parent = parent
        self.summary = summary
        self.touches = touches
        self.reviewed = reviewed
        self.steps = steps
    }
}

/// One step of a migration: a statement, or a data change MLflow's migration makes in Python.
package enum MigrationStep: Sendable {
    /// A statement, spelled for each database as alembic sends it (SQLite keeps the text in its catalog).
    case sql(sqlite: String, postgres: String)
    /// Rows MLflow's migration computes in Python, ported; `tables` are the tables it reads or writes.
    case data(tables: Set<String>, apply: @Sendable (any SQLConnection) async throws -> Void)

    /// A statement spelled the same on both databases.
    package static func sql(_ statement: String) -> MigrationStep {
        .sql(sqlite: statement, postgres: statement)
    }

    /// The statement for a dialect, or nil for a data step.
    package func statement(for dialect: SQLDialect) -> String? {
        switch self {
        case .sql(let sqlite, let postgres): dialect == .sqlite ? sqlite : postgres
        case .data: nil
        }
    }
}
