import Foundation
import TrackingCore
import TrackingStore

/// What a database's catalog says about its schema, one line per object, to compare two databases
/// (the same parts e2e/test_postgres.py compares, plus triggers and functions; SQLite: its catalog's
/// statements, whitespace collapsed).
enum SchemaCatalog {
    static func lines(of database: any SQLDatabase) async throws -> [String] {
        let queries = switch database.dialect {
        case .sqlite:
            ["SELECT type || '|' || name || '|' || tbl_name || '|' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"]
        case .postgres:
            [
                """
                SELECT concat_ws('|', 'column', table_name, column_name, data_type, character_maximum_length,
                                 is_nullable, coalesce(column_default, ''))
                FROM information_schema.columns WHERE table_schema = current_schema()
                """,
                """
                SELECT concat_ws('|', 'constraint', conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid))
                FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                """,
                "SELECT concat_ws('|', 'index', tablename, indexname, indexdef) FROM pg_indexes WHERE schemaname = current_schema()",
                """
                SELECT concat_ws('|', 'sequence', sequence_name, data_type)
                FROM information_schema.sequences WHERE sequence_schema = current_schema()
                """,
                "SELECT concat_ws('|', 'trigger', tgname, pg_get_triggerdef(oid)) FROM pg_trigger WHERE NOT tgisinternal",
                """
                SELECT concat_ws('|', 'function', p.proname, pg_get_functiondef(p.oid))
                FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
                """,
            ]
        }
        var lines: [String] = []
        try await database.read { connection in
            var found: [String] = []
            for sql in queries {
                for row in try await connection.query(sql, []) { found.append(row.string(0) ?? "") }
            }
            return found
        }.forEach { lines.append($0.split(whereSeparator: \.isWhitespace).joined(separator: " ")) }
        return lines.sorted()
    }

    /// A database at MLflow 3.17.2's revision, as MLflow creates it: the oldest the server serves.
    static func createOldest(on database: any SQLDatabase) async throws {
        let script = switch database.dialect {
        case .sqlite: MLflow3_17_2SchemaSQLite.script
        case .postgres: MLflow3_17_2SchemaPostgreSQL.script
        }
        try await database.write { connection in
            for statement in script.split(separator: "\n-- statement").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            where !statement.isEmpty {
                try await connection.executeScript(statement)
            }
        }
    }
}
