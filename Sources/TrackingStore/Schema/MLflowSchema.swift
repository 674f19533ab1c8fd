import Foundation

/// The DDL of MLflow's schema for each dialect, statement by statement.
package enum MLflowSchema {
    package static func statements(for dialect: SQLDialect) -> [String] {
        let script = switch dialect {
        case .sqlite: sqliteScript
        case .postgres: postgresScript
        }
        return script.components(separatedBy: "\n-- statement")
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }
}
