import TrackingCore

/// Model versions and their tags. A deleted version stays as a redacted row in stage
/// `Deleted_Internal`, as MLflow keeps it, so its number is never reused.
extension SQLTrackingStore {
    package func createModelVersion(_ request: CreateModelVersion) async throws -> ModelVersion {
        let now = clock()
        return try await database.write { connection in
            try await requireRegisteredModel(request.name, on: connection)
            try await connection.execute(
                "UPDATE registered_models SET last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [.int(now), .text(request.name)])
            let max = try await connection.query(
                "SELECT MAX(version) FROM model_versions WHERE workspace = 'default' AND name = ?", [.text(request.name)])
            let version = (max.first?.int(0) ?? 0) + 1
            // The primary key makes two servers racing for one number fail rather than collide.
            try await connection.execute(
                """
                INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id,
                    current_stage, source, run_id, status, status_message, run_link, storage_location, workspace)
                VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 'READY', NULL, ?, ?, 'default')
                """,
                [
                    .text(request.name), .int(version), .int(now), .int(now), SQLValue(request.description),
                    .text(ModelStage.none), .text(request.source), SQLValue(request.runId), SQLValue(request.runLink),
                    .text(request.storageLocation),
                ])
            var seen: Set<String> = []
            for tag in request.tags.reversed() where seen.insert(tag.key).inserted {
                try await upsertModelVersionTag(request.name, version, tag, on: connection)
            }
            return try await fetchModelVersion(request.name, version, on: connection, withAliases: true)
        }
    }

    package func getModelVersion(name: String, version: Int64) async throws -> ModelVersion {
        try await database.read { connection in
            try await fetchModelVersion(name, version, on: connection, withAliases: true)
        }
    }

    package func updateModelVersion(name: String, version: Int64, description: String?) async throws -> ModelVersion {
        let now = clock()
        return try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            try await connection.execute(
                "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE workspace = 'default' AND name = ? AND version = ?",
                [SQLValue(description), .int(now), .text(name), .int(version)])
            return try await fetchModelVersion(name, version, on: connection, withAliases: true)
        }
    }

    package func deleteModelVersion(name: String, version: Int64) async throws {
        let now = clock()
        try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            try await connection.execute(
                "UPDATE registered_models SET last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [.int(now), .text(name)])
            try await connection.execute(
                "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND version = ?",
                [.text(name), .int(version)])
            try await connection.execute(
                """
                UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL,
                    source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK',
                    status_message = NULL
                WHERE workspace = 'default' AND name = ? AND version = ?
                """,
                [.text(ModelStage.deletedInternal), .int(now), .text(name), .int(version)])
        }
    }

    package func transitionModelVersionStage(
        name: String, version: Int64, stage: String, archiveExistingVersions: Bool
    ) async throws -> ModelVersion {
        let canonical = try ModelStage.canonical(stage)
        if archiveExistingVersions, !ModelStage.active.contains(canonical) {
            // MLflow raises this without an error code (HTTP 500); it is the caller's mistake.
            throw TrackingError.invalidParameter(
                "Model version transition cannot archive existing model versions because '\(stage)' is not an Active stage. "
                    + "Valid stages are ['Staging', 'Production']")
        }
        let now = clock()
        return try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            if archiveExistingVersions {
                try await connection.execute(
                    """
                    UPDATE model_versions SET current_stage = ?, last_updated_time = ?
                    WHERE workspace = 'default' AND name = ? AND version <> ? AND current_stage = ?
                    """,
                    [.text(ModelStage.archived), .int(now), .text(name), .int(version), .text(canonical)])
            }
            try await connection.execute(
                "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE workspace = 'default' AND name = ? AND version = ?",
                [.text(canonical), .int(now), .text(name), .int(version)])
            try await connection.execute(
                "UPDATE registered_models SET last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [.int(now), .text(name)])
            return try await fetchModelVersion(name, version, on: connection, withAliases: true)
        }
    }

    package func setModelVersionTag(name: String, version: Int64, tag: KeyValue) async throws {
        try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            try await upsertModelVersionTag(name, version, tag, on: connection)
        }
    }

    package func deleteModelVersionTag(name: String, version: Int64, key: String) async throws {
        try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            // MLflow ignores a tag that is not there.
            try await connection.execute(
                "DELETE FROM model_version_tags WHERE workspace = 'default' AND name = ? AND version = ? AND key = ?",
                [.text(name), .int(version), .text(key)])
        }
    }

    package func getModelVersionDownloadURI(name: String, version: Int64) async throws -> String {
        try await database.read { connection in
            let rows = try await connection.query(
                """
                SELECT storage_location, source FROM model_versions
                WHERE workspace = 'default' AND name = ? AND version = ? AND current_stage <> ?
                """,
                [.text(name), .int(version), .text(ModelStage.deletedInternal)])
            guard let row = rows.first else {
                throw TrackingError.notFound("Model Version (name=\(name), version=\(version)) not found")
            }
            if let location = row.string(0), !location.isEmpty { return location }
            return row.string(1) ?? ""
        }
    }

    // MARK: helpers

    static let modelVersionColumnNames = [
        "name", "version", "creation_time", "last_updated_time", "description", "user_id", "current_stage", "source",
        "run_id", "status", "status_message", "run_link",
    ]
    static let modelVersionColumns = modelVersionColumnNames.joined(separator: ", ")

    /// A live (not deleted) version, or MLflow's not-found error.
    func fetchModelVersion(_ name: String, _ version: Int64, on connection: any SQLConnection, withAliases: Bool = false)
        async throws -> ModelVersion
    {
        let found = try await loadModelVersions(
            where: SQLFragment(
                "name = ? AND version = ? AND current_stage <> ?",
                [.text(name), .int(version), .text(ModelStage.deletedInternal)]),
            orderBy: "version", on: connection)
        guard var model = found.first else {
            throw TrackingError.notFound("Model Version (name=\(name), version=\(version)) not found")
        }
        if withAliases {
            model.aliases = try await connection.query(
                "SELECT alias FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND version = ? ORDER BY alias",
                [.text(name), .int(version)]
            ).compactMap { $0.string(0) }
        }
        return model
    }

    /// Versions matching `condition`, with their tags.
    func loadModelVersions(where condition: SQLFragment, orderBy: String, on connection: any SQLConnection)
        async throws -> [ModelVersion]
    {
        let rows = try await connection.query(
            "SELECT \(Self.modelVersionColumns) FROM model_versions WHERE workspace = 'default' AND \(condition.sql) ORDER BY \(orderBy)",
            condition.binds)
        return try await loadModelVersions(rows, on: connection)
    }

    /// Versions from rows of `modelVersionColumns`, with their tags loaded in batches.
    func loadModelVersions(_ rows: [SQLRow], on connection: any SQLConnection) async throws -> [ModelVersion] {
        var versions = rows.map(Self.modelVersion(from:))
        guard !versions.isEmpty else { return [] }
        var index: [String: Int] = [:]
        for (n, version) in versions.enumerated() { index["\(version.version)/\(version.name)"] = n }
        for chunk in Self.chunks(Array(Set(versions.map(\.name)))) {
            let names = connection.dialect.inList("name", chunk.map(SQLValue.text))
            for row in try await connection.query(
                "SELECT name, version, key, value FROM model_version_tags WHERE workspace = 'default' AND \(names.sql)",
                names.binds)
            {
                if let n = index["\(row.int(1) ?? 0)/\(row.string(0) ?? "")"] {
                    versions[n].tags.append(KeyValue(key: row.string(2) ?? "", value: row.string(3) ?? ""))
                }
            }
        }
        return versions
    }

    static func modelVersion(from row: SQLRow) -> ModelVersion {
        ModelVersion(
            name: row.string(0) ?? "", version: row.int(1) ?? 0, creationTimestamp: row.int(2),
            lastUpdatedTimestamp: row.int(3), description: row.string(4), userId: row.string(5),
            currentStage: row.string(6), source: row.string(7), runId: row.string(8), status: row.string(9),
            statusMessage: row.string(10), runLink: row.string(11))
    }

    private func upsertModelVersionTag(_ name: String, _ version: Int64, _ tag: KeyValue, on connection: any SQLConnection)
        async throws
    {
        try await connection.execute(
            """
            INSERT INTO model_version_tags (key, value, name, version, workspace) VALUES (?, ?, ?, ?, 'default')
            ON CONFLICT (workspace, key, name, version) DO UPDATE SET value = excluded.value
            """,
            [.text(tag.key), .text(tag.value), .text(name), .int(version)])
    }
}
