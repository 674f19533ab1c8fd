#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TrackingCore

/// MLflow's tracking store on MLflow's SQL schema: the one implementation for SQLite and PostgreSQL.
/// Every write is one transaction; nothing is written when any part of a request fails.
package struct SQLTrackingStore: TrackingStore {
    package let database: any SQLDatabase
    package let defaultArtifactRoot: String
    let clock: @Sendable () -> Int64
    /// How this database's engine searches runs and reads their data, taken once from the database.
    let runSearchPlan: any RunSearchPlan

    package init(
        database: any SQLDatabase, defaultArtifactRoot: String,
        clock: @escaping @Sendable () -> Int64 = SQLTrackingStore.currentTimeMillis
    ) {
        self.database = database
        self.defaultArtifactRoot = defaultArtifactRoot
        self.clock = clock
        runSearchPlan = database.runSearchPlan
    }

    @Sendable package static func currentTimeMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// MLflow's SQL store keeps integer experiment ids and rejects any other id up front.
    static func experimentKey(_ id: String) throws -> Int64 {
        guard let key = Int64(id.trimmedWhitespace) else {
            throw TrackingError.invalidParameter("Invalid experiment ID '\(id)'. Experiment ID must be a valid integer.")
        }
        return key
    }
}

// MARK: - Row mapping

extension SQLTrackingStore {
    static let experimentColumns =
        "experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time, workspace"

    static func experiment(from row: SQLRow, tags: [KeyValue]) -> Experiment {
        Experiment(
            experimentId: row.string(0) ?? "",
            name: row.string(1) ?? "",
            artifactLocation: row.string(2) ?? "",
            lifecycleStage: LifecycleStage(rawValue: row.string(3) ?? "") ?? .active,
            creationTime: row.int(4),
            lastUpdateTime: row.int(5),
            tags: tags,
            workspace: row.string(6) ?? "default")
    }

    static let runColumns =
        "run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage"

    static func runInfo(from row: SQLRow) -> RunInfo {
        RunInfo(
            runId: row.string(0) ?? "",
            experimentId: row.string(1) ?? "",
            runName: row.string(2) ?? "",
            userId: row.string(3) ?? "",
            status: RunStatus(rawValue: row.string(4) ?? "") ?? .running,
            startTime: row.int(5),
            endTime: row.int(6),
            artifactUri: row.string(7) ?? "",
            lifecycleStage: LifecycleStage(rawValue: row.string(8) ?? "") ?? .active)
    }
}

// MARK: - Lookups shared by the write paths

extension SQLTrackingStore {
    func fetchExperiment(_ id: String, on connection: any SQLConnection) async throws -> Experiment {
        let key = try Self.experimentKey(id)
        let rows = try await connection.query(
            "SELECT \(Self.experimentColumns) FROM experiments WHERE experiment_id = ?", [.int(key)])
        guard let row = rows.first else { throw TrackingError.notFound("No Experiment with id=\(key) exists") }
        let tags = try await connection.query(
            "SELECT key, value FROM experiment_tags WHERE experiment_id = ?", [.int(key)]
        ).map { KeyValue(key: $0.string(0) ?? "", value: $0.string(1) ?? "") }
        return Self.experiment(from: row, tags: tags)
    }

    func fetchRunInfo(_ id: String, on connection: any SQLConnection) async throws -> RunInfo {
        let rows = try await connection.query("SELECT \(Self.runColumns) FROM runs WHERE run_uuid = ?", [.text(id)])
        guard let row = rows.first else { throw TrackingError.notFound("Run with id=\(id) not found") }
        return Self.runInfo(from: row)
    }

    /// The run, checked to be active: MLflow refuses every write to a deleted run.
    @discardableResult
    func activeRun(_ id: String, on connection: any SQLConnection) async throws -> RunInfo {
        let info = try await fetchRunInfo(id, on: connection)
        guard info.lifecycleStage == .active else {
            throw TrackingError.notActive("run", id, current: info.lifecycleStage)
        }
        return info
    }
}
