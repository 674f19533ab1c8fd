import TrackingCore

extension SQLTrackingStore {
    package func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) async throws -> String {
        let now = clock()
        return try await database.write { connection in
            // The id is known only after the insert; the default location is derived from it.
            let rows = try await Self.duplicateNameAsExists(name) {
                try await connection.query(
                    """
                    INSERT INTO experiments (name, workspace, artifact_location, lifecycle_stage, creation_time, last_update_time)
                    VALUES (?, 'default', ?, 'active', ?, ?) RETURNING experiment_id
                    """,
                    [.text(name), .text(artifactLocation ?? ""), .int(now), .int(now)])
            }
            guard let id = rows.first?.int(0) else { throw DatabaseError(.other, "experiment insert returned no id") }
            if artifactLocation == nil || artifactLocation == "" {
                try await connection.execute(
                    "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                    [.text(ArtifactLocation.append(defaultArtifactRoot, String(id))), .int(id)])
            }
            for tag in tags {
                try await upsertExperimentTag(id, tag, on: connection)
            }
            return String(id)
        }
    }

    package func getExperiment(id: String) async throws -> Experiment {
        try await database.read { connection in try await fetchExperiment(id, on: connection) }
    }

    package func getExperiment(name: String) async throws -> Experiment? {
        try await database.read { connection in
            let rows = try await connection.query(
                "SELECT experiment_id FROM experiments WHERE workspace = 'default' AND name = ?", [.text(name)])
            guard let id = rows.first?.string(0) else { return nil }
            return try await fetchExperiment(id, on: connection)
        }
    }

    package func renameExperiment(id: String, newName: String) async throws {
        let now = clock()
        try await database.write { connection in
            let experiment = try await fetchExperiment(id, on: connection)
            guard experiment.lifecycleStage == .active else {
                // MLflow answers INVALID_STATE (HTTP 500) here, which its client retries for
                // minutes; a 400 tells the caller at once.
                throw TrackingError.invalidParameter("Cannot rename a non-active experiment.")
            }
            let key = try Self.experimentKey(id)
            let clash = try await connection.query(
                "SELECT experiment_id FROM experiments WHERE workspace = 'default' AND name = ? AND experiment_id <> ?",
                [.text(newName), .int(key)])
            guard clash.isEmpty else {
                // MLflow reports the unique-constraint failure as BAD_REQUEST.
                throw TrackingError(.badRequest, "Experiment(name=\(newName)) already exists.")
            }
            try await connection.execute(
                "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?",
                [.text(newName), .int(now), .int(key)])
        }
    }

    package func deleteExperiment(id: String) async throws {
        try await setExperimentLifecycle(id, from: .active, to: .deleted)
    }

    package func restoreExperiment(id: String) async throws {
        try await setExperimentLifecycle(id, from: .deleted, to: .active)
    }

    /// Deleting or restoring an experiment does the same to all its runs, as MLflow's SQL store
    /// does. An experiment not in the `from` stage counts as missing, as in MLflow.
    private func setExperimentLifecycle(_ id: String, from: LifecycleStage, to stage: LifecycleStage) async throws {
        let now = clock()
        try await database.write { connection in
            let key = try Self.experimentKey(id)
            let updated = try await connection.query(
                """
                UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ? AND lifecycle_stage = ?
                RETURNING experiment_id
                """,
                [.text(stage.rawValue), .int(now), .int(key), .text(from.rawValue)])
            guard !updated.isEmpty else { throw TrackingError.notFound("No Experiment with id=\(key) exists") }
            try await connection.execute(
                "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?",
                [.text(stage.rawValue), stage == .deleted ? .int(now) : .null, .int(key)])
        }
    }

    package func setExperimentTag(id: String, tag: KeyValue) async throws {
        try await database.write { connection in
            let experiment = try await fetchExperiment(id, on: connection)
            guard experiment.lifecycleStage == .active else {
                throw TrackingError.notActive("experiment", id, current: experiment.lifecycleStage)
            }
            try await upsertExperimentTag(try Self.experimentKey(id), tag, on: connection)
        }
    }

    package func deleteExperimentTag(id: String, key: String) async throws {
        try await database.write { connection in
            let experiment = try await fetchExperiment(id, on: connection)
            guard experiment.lifecycleStage == .active else {
                throw TrackingError.notActive("experiment", id, current: experiment.lifecycleStage)
            }
            let removed = try await connection.query(
                "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ? RETURNING key",
                [.int(try Self.experimentKey(id)), .text(key)])
            guard !removed.isEmpty else {
                throw TrackingError.notFound("No tag with name: \(key) in experiment with id \(id)")
            }
        }
    }

    /// The unique (workspace, name) constraint is the check, so two servers racing on one name are safe.
    private static func duplicateNameAsExists<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError where error.kind == .constraint {
            throw TrackingError(.resourceAlreadyExists, "Experiment(name=\(name)) already exists.")
        }
    }

    private func upsertExperimentTag(_ id: Int64, _ tag: KeyValue, on connection: any SQLConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)
            ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value
            """,
            [.text(tag.key), .text(tag.value), .int(id)])
    }
}
