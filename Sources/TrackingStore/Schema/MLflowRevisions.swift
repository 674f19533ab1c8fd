/// The alembic revisions of MLflow's schema this server serves, oldest first; the last is the head
/// new databases get (`MLflowSchema`'s DDL). A database at any of them is served as it is, since
/// none changes a table the server reads or writes in a way it would notice (`reviewed` says why
/// where one touches such a table); `tracking-server db upgrade` moves it to the head.
///
/// Adding a release: append its revisions with their statements (docs/deployment.md, "Schema
/// revisions"); `MLflowRevisionsTests` fails until every table the server uses that a new revision
/// touches is reviewed.
package enum MLflowRevisions {
    package static let all: [MLflowRevision] = [
        MLflowRevision(
            id: "dc11669786a5", release: "3.17.2", parent: "75868b020152",
            summary: "add job executor persistence model (the oldest revision served; never applied by this server)",
            touches: [], steps: []),
        MLflowRevision(
            id: "e7d1f4b2a9c6", release: "3.18.0", parent: "dc11669786a5",
            summary: "add skill registry tables",
            touches: ["skills", "skill_versions", "skill_tags", "skill_version_tags", "skill_aliases"],
            steps: MLflow3_18_0Migrations.skillRegistryTables),
        MLflowRevision(
            id: "8b6ad64cb8f5", release: "3.18.0", parent: "e7d1f4b2a9c6",
            summary: "extend issue contract (columns, indexes, issue_categories filled from issues.categories)",
            touches: ["issues", "issue_categories"],
            steps: MLflow3_18_0Migrations.issueContract),
        MLflowRevision(
            id: "f4a9b2c7d1e6", release: "3.18.0", parent: "8b6ad64cb8f5",
            summary: "make MCP server versions case-sensitive (MySQL and SQL Server only: nothing on SQLite or PostgreSQL)",
            touches: [], steps: []),
    ]

    /// The newest revision: the one new databases get.
    package static var head: MLflowRevision { all[all.count - 1] }

    /// The oldest revision served.
    package static var oldest: MLflowRevision { all[0] }

    /// The revision with this id, if the server knows it.
    package static func revision(_ id: String) -> MLflowRevision? {
        all.first { $0.id == id }
    }

    /// The revisions that take a database at `id` to the head, in order (empty at the head); nil for
    /// a revision the server does not know.
    package static func path(from id: String) -> ArraySlice<MLflowRevision>? {
        guard let index = all.firstIndex(where: { $0.id == id }) else { return nil }
        return all[(index + 1)...]
    }
}
