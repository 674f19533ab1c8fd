#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// The DDL of MLflow's schema at the head revision (`MLflowRevisions.head`) for each dialect,
/// statement by statement.
package enum MLflowSchema {
    /// MLflow's tables the store reads or writes (its SQL in Sources/TrackingStore, outside Schema/).
    /// A revision that touches one of them needs a review (`MLflowRevision.reviewed`) before the
    /// server may serve databases at it; `MLflowRevisionsTests` checks this list against the SQL.
    package static let tablesTheServerUses: Set<String> = [
        "experiments", "experiment_tags",
        "runs", "tags", "params", "metrics", "latest_metrics",
        "datasets", "inputs", "input_tags",
        "logged_models", "logged_model_tags", "logged_model_params", "logged_model_metrics",
        "registered_models", "registered_model_tags", "registered_model_aliases",
        "model_versions", "model_version_tags",
    ]

    /// Indexes of our own, beside MLflow's (statements safe to repeat at every start): search walks
    /// them in order instead of sorting every run of an experiment. Named apart so MLflow's migrations
    /// never collide with them; MLflow's server ignores them (and keeps them up to date like any index).
    package static func searchIndexes(for dialect: SQLDialect) -> [String] {
        [
            // In the UI's order (newest first, ties by id), so a page is read off the index unsorted.
            "CREATE INDEX IF NOT EXISTS tracking_server_runs_by_start ON runs (experiment_id, start_time DESC, run_uuid)",
            // With run_uuid, a metric order reads the runs from the index alone (no table row per value).
            "CREATE INDEX IF NOT EXISTS tracking_server_latest_metrics_by_value ON latest_metrics (key, is_nan, value, run_uuid)",
            // Their predecessors, made by earlier versions.
            "DROP INDEX IF EXISTS tracking_server_latest_metrics_order",
            "DROP INDEX IF EXISTS tracking_server_runs_order",
        ] + (dialect == .sqlite ? sqliteRunDataIndexes.map { "CREATE INDEX IF NOT EXISTS \($0.name) ON \($0.definition)" } : [])
    }

    /// SQLite: a run's metrics, params and tags with every column a search reads, so neither a
    /// page's data nor a filter's probe visits the table, worth the larger file (figures in
    /// docs/performance.md). Filters name them (`INDEXED BY`),
    /// as the planner prefers the primary key. Not on PostgreSQL, where a param or tag value may
    /// exceed what an index entry holds, and each index slows the logging of metrics.
    package static let sqliteRunDataIndexes: [(table: String, name: String, definition: String)] = [
        ("latest_metrics", "tracking_server_latest_metrics_by_run", "latest_metrics (run_uuid, key, value, timestamp, step, is_nan)"),
        ("params", "tracking_server_params_by_run", "params (run_uuid, key, value)"),
        ("tags", "tracking_server_tags_by_run", "tags (run_uuid, key, value)"),
    ]

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
