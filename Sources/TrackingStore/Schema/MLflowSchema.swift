#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// The DDL of MLflow's schema for each dialect, statement by statement.
package enum MLflowSchema {
    package static func statements(for dialect: SQLDialect) -> [String] {
        let script = switch dialect {
        case .sqlite: sqliteScript
        case .postgres: postgresScript
        }
        return script.split(separator: "\n-- statement")
            .map { String($0).trimmedWhitespace }
            .filter { !$0.isEmpty }
    }
}
