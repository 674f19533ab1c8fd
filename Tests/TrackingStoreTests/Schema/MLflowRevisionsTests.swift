import Foundation
import Testing
import TrackingCore
import TrackingStore

/// The list of known revisions is what lets the server serve a database MLflow migrated: these
/// check it is a chain ending at the DDL new databases get, that each revision's declared tables are
/// the ones its statements name, and that no revision touches a table the server uses unreviewed.
@Suite("MLflow's known schema revisions")
struct MLflowRevisionsTests {
    @Test func theRevisionsFormOneChainEndingAtTheHeadSchema() {
        let ids = MLflowRevisions.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for (parent, child) in zip(MLflowRevisions.all, MLflowRevisions.all.dropFirst()) {
            #expect(child.parent == parent.id, "\(child.id) follows \(child.parent), not \(parent.id)")
        }
        #expect(SchemaManager.revision == MLflowRevisions.head.id)
        for dialect in [SQLDialect.sqlite, .postgres] {
            let recorded = "INSERT INTO alembic_version (version_num) VALUES ('\(SchemaManager.revision)');"
            #expect(MLflowSchema.statements(for: dialect).last == recorded)
        }
    }

    /// Fails when a revision touches a table the server reads or writes and nobody recorded, in its
    /// `reviewed`, why the server still works on it. Add the review only after reading the
    /// migration against the store's SQL for that table (and adapt the store if it must change).
    @Test(arguments: MLflowRevisions.all.map(\.id))
    func everyTouchedTableTheServerUsesIsReviewed(id: String) throws {
        let revision = try #require(MLflowRevisions.revision(id))
        let unreviewed = revision.touches.intersection(MLflowSchema.tablesTheServerUses).subtracting(revision.reviewed.keys)
        #expect(unreviewed.isEmpty, "revision \(id) (MLflow \(revision.release)) touches \(unreviewed.sorted()), which the server uses")
        let stale = Set(revision.reviewed.keys).subtracting(revision.touches)
        #expect(stale.isEmpty, "revision \(id) reviews \(stale.sorted()), which it does not touch")
    }

    /// `touches` is what the statements name, so the review above cannot be dodged by a short list.
    @Test(arguments: MLflowRevisions.all.map(\.id))
    func touchesListsExactlyTheTablesTheStatementsName(id: String) throws {
        let revision = try #require(MLflowRevisions.revision(id))
        for dialect in [SQLDialect.sqlite, .postgres] {
            var named: Set<String> = []
            for step in revision.steps {
                switch step {
                case .sql: named.formUnion(Self.tablesNamed(in: step.statement(for: dialect) ?? ""))
                case .data(let tables, _): named.formUnion(tables)
                }
            }
            named.remove("alembic_version")
            #expect(named == revision.touches, "\(id) on \(dialect): its statements name \(named.sorted())")
        }
    }

    /// The head DDL holds the oldest revision's tables plus those the revisions since then create.
    @Test func theHeadSchemaHasTheTablesTheMigrationsCreate() {
        for dialect in [SQLDialect.sqlite, .postgres] {
            let oldest = dialect == .sqlite ? MLflow3_17_2SchemaSQLite.script : MLflow3_17_2SchemaPostgreSQL.script
            var created: Set<String> = []
            for step in MLflowRevisions.all.flatMap(\.steps) {
                created.formUnion(Self.matches(of: #/CREATE TABLE "?(\w+)"?/#, in: step.statement(for: dialect) ?? ""))
            }
            let head = Self.matches(of: #/CREATE TABLE "?(\w+)"?/#, in: MLflowSchema.statements(for: dialect).joined(separator: "\n"))
            #expect(head == Self.matches(of: #/CREATE TABLE "?(\w+)"?/#, in: oldest).union(created))
        }
    }

    /// Every MLflow table the store's SQL names is in `MLflowSchema.tablesTheServerUses`, so the
    /// review above covers what the server really reads and writes.
    @Test func tablesTheServerUsesCoversTheStoresSQL() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/TrackingStore")
        let mlflowTables = Self.matches(
            of: #/CREATE TABLE "?(\w+)"?/#, in: MLflowSchema.statements(for: .sqlite).joined(separator: "\n"))
        var named: Set<String> = []
        let files = try #require(FileManager.default.enumerator(atPath: root.path))
        for case let path as String in files where path.hasSuffix(".swift") && !path.hasPrefix("Schema/") {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            named.formUnion(Self.tablesNamed(in: text).intersection(mlflowTables))
            named.formUnion(Self.matches(of: #/"(\w+)"/#, in: text).intersection(mlflowTables))
        }
        #expect(named.contains("runs"))
        let missing = named.subtracting(MLflowSchema.tablesTheServerUses)
        #expect(missing.isEmpty, "the store names \(missing.sorted()); add them to MLflowSchema.tablesTheServerUses")
    }

    @Test(arguments: [
        ("Hallucination", "2c229d9fff93795f5e6a9d9b9ac19d6d1211b7c82c052a0aac3c95e7449137a0"),
        ("  hallucination\u{1c}", "2c229d9fff93795f5e6a9d9b9ac19d6d1211b7c82c052a0aac3c95e7449137a0"),
        ("ÉCOLE", "f0f772e182a4941e6fdef31116540b17be18ab0be3290d2d1df760251f859b24"),
    ])
    func issueCategoryHashesAsMLflowsPython(category: String, hash: String) {
        #expect(IssueCategoryBackfill.hash(category) == hash)
    }

    private static func tablesNamed(in sql: String) -> Set<String> {
        matches(
            of: #/(?:TABLE(?: IF (?:NOT )?EXISTS)?|INTO|UPDATE|FROM|JOIN|INDEXED BY|ON)\s+"?([a-z_][a-z0-9_]*)"?/#, in: sql)
    }

    private static func matches(of regex: Regex<(Substring, Substring)>, in text: String) -> Set<String> {
        Set(text.matches(of: regex).map { String($0.output.1) })
    }
}
