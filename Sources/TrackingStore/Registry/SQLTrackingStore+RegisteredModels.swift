import TrackingCore

/// Registered models, tags and aliases in MLflow's registry tables (workspace `default`).
extension SQLTrackingStore: ModelRegistryStore {
    package func createRegisteredModel(name: String, tags: [KeyValue], description: String?) async throws
        -> RegisteredModel
    {
        let now = clock()
        return try await database.write { connection in
            do {
                try await connection.execute(
                    """
                    INSERT INTO registered_models (name, workspace, creation_time, last_updated_time, description)
                    VALUES (?, 'default', ?, ?, ?)
                    """,
                    [.text(name), .int(now), .int(now), SQLValue(description)])
            } catch let error as DatabaseError where error.kind == .constraint {
                throw TrackingError(.resourceAlreadyExists, "Registered Model (name=\(name)) already exists.")
            }
            // A repeated key keeps its last value, as MLflow's dict of tags does.
            var seen: Set<String> = []
            for tag in tags.reversed() where seen.insert(tag.key).inserted {
                try await upsertRegisteredModelTag(name, tag, on: connection)
            }
            return try await fetchRegisteredModel(name, on: connection)
        }
    }

    package func getRegisteredModel(name: String) async throws -> RegisteredModel {
        try await database.read { connection in try await fetchRegisteredModel(name, on: connection) }
    }

    package func renameRegisteredModel(name: String, newName: String) async throws -> RegisteredModel {
        let now = clock()
        return try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            if newName != name {
                let clash = try await connection.query(
                    "SELECT name FROM registered_models WHERE workspace = 'default' AND name = ?", [.text(newName)])
                guard clash.isEmpty else {
                    throw TrackingError(.resourceAlreadyExists, "Registered Model (name=\(newName)) already exists.")
                }
            }
            // The foreign keys cascade the new name to versions, tags and aliases.
            try await connection.execute(
                "UPDATE registered_models SET name = ?, last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [.text(newName), .int(now), .text(name)])
            try await connection.execute(
                "UPDATE model_versions SET last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [.int(now), .text(newName)])
            return try await fetchRegisteredModel(newName, on: connection)
        }
    }

    package func updateRegisteredModel(name: String, description: String?) async throws -> RegisteredModel {
        let now = clock()
        return try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            try await connection.execute(
                "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE workspace = 'default' AND name = ?",
                [SQLValue(description), .int(now), .text(name)])
            return try await fetchRegisteredModel(name, on: connection)
        }
    }

    package func deleteRegisteredModel(name: String) async throws {
        try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            // Children first: MLflow's ORM cascade deletes them; the schema's keys do not.
            for table in ["model_version_tags", "model_versions", "registered_model_tags", "registered_model_aliases"] {
                try await connection.execute("DELETE FROM \(table) WHERE workspace = 'default' AND name = ?", [.text(name)])
            }
            try await connection.execute(
                "DELETE FROM registered_models WHERE workspace = 'default' AND name = ?", [.text(name)])
        }
    }

    package func setRegisteredModelTag(name: String, tag: KeyValue) async throws {
        try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            try await upsertRegisteredModelTag(name, tag, on: connection)
        }
    }

    package func deleteRegisteredModelTag(name: String, key: String) async throws {
        try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            // MLflow ignores a tag that is not there.
            try await connection.execute(
                "DELETE FROM registered_model_tags WHERE workspace = 'default' AND name = ? AND key = ?",
                [.text(name), .text(key)])
        }
    }

    package func getLatestVersions(name: String, stages: [String]) async throws -> [ModelVersion] {
        let wanted = try stages.map { stage throws(TrackingError) in try ModelStage.canonical(stage) }
        return try await database.read { connection in
            let model = try await fetchRegisteredModel(name, on: connection)
            return model.latestVersions
                .filter { wanted.isEmpty || wanted.contains($0.currentStage ?? "") }
                .map { version in
                    var version = version
                    version.aliases = model.aliases.filter { $0.version == version.version }.map(\.alias)
                    return version
                }
        }
    }

    // MARK: aliases

    package func setRegisteredModelAlias(name: String, alias: String, version: Int64) async throws {
        try await database.write { connection in
            _ = try await fetchModelVersion(name, version, on: connection)
            try await connection.execute(
                """
                INSERT INTO registered_model_aliases (alias, version, name, workspace) VALUES (?, ?, ?, 'default')
                ON CONFLICT (workspace, name, alias) DO UPDATE SET version = excluded.version
                """,
                [.text(alias), .int(version), .text(name)])
        }
    }

    package func deleteRegisteredModelAlias(name: String, alias: String) async throws {
        try await database.write { connection in
            try await requireRegisteredModel(name, on: connection)
            try await connection.execute(
                "DELETE FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND alias = ?",
                [.text(name), .text(alias)])
        }
    }

    package func getModelVersion(name: String, alias: String) async throws -> ModelVersion {
        if alias.lowercased() == "latest" {
            let latest = try await getLatestVersions(name: name, stages: [])
            guard let newest = latest.max(by: { $0.version < $1.version }) else {
                throw TrackingError.notFound("Latest version not found for model \(name).")
            }
            return newest
        }
        return try await database.read { connection in
            try await requireRegisteredModel(name, on: connection)
            let rows = try await connection.query(
                "SELECT version FROM registered_model_aliases WHERE workspace = 'default' AND name = ? AND alias = ?",
                [.text(name), .text(alias)])
            guard let version = rows.first?.int(0) else {
                // sic: MLflow reports an unknown alias as a bad parameter, not as missing.
                throw TrackingError.invalidParameter("Registered model alias \(alias) not found.")
            }
            return try await fetchModelVersion(name, version, on: connection, withAliases: true)
        }
    }

    // MARK: helpers

    func requireRegisteredModel(_ name: String, on connection: any SQLConnection) async throws {
        let rows = try await connection.query(
            "SELECT name FROM registered_models WHERE workspace = 'default' AND name = ?", [.text(name)])
        guard !rows.isEmpty else { throw TrackingError.notFound("Registered Model with name=\(name) not found") }
    }

    func fetchRegisteredModel(_ name: String, on connection: any SQLConnection) async throws -> RegisteredModel {
        let rows = try await connection.query(
            """
            SELECT name, creation_time, last_updated_time, description FROM registered_models
            WHERE workspace = 'default' AND name = ?
            """,
            [.text(name)])
        guard let row = rows.first else { throw TrackingError.notFound("Registered Model with name=\(name) not found") }
        return try await loadRegisteredModels([row], on: connection)[0]
    }

    /// Models from `name, creation_time, last_updated_time, description` rows, with their tags,
    /// aliases and latest versions loaded in a few queries for the whole list.
    func loadRegisteredModels(_ rows: [SQLRow], latestByStage: Bool = false, on connection: any SQLConnection)
        async throws -> [RegisteredModel]
    {
        var models = rows.map { row in
            RegisteredModel(
                name: row.string(0) ?? "", creationTimestamp: row.int(1), lastUpdatedTimestamp: row.int(2),
                description: row.string(3))
        }
        guard !models.isEmpty else { return [] }
        var index: [String: Int] = [:]
        for (n, model) in models.enumerated() { index[model.name] = n }
        for chunk in Self.chunks(models.map(\.name)) {
            let names = connection.dialect.inList("name", chunk.map(SQLValue.text))
            for row in try await connection.query(
                "SELECT name, key, value FROM registered_model_tags WHERE workspace = 'default' AND \(names.sql)", names.binds)
            {
                models[index[row.string(0) ?? ""] ?? 0].tags.append(KeyValue(key: row.string(1) ?? "", value: row.string(2) ?? ""))
            }
            for row in try await connection.query(
                "SELECT name, alias, version FROM registered_model_aliases WHERE workspace = 'default' AND \(names.sql) ORDER BY alias",
                names.binds)
            {
                models[index[row.string(0) ?? ""] ?? 0].aliases.append(ModelAlias(alias: row.string(1) ?? "", version: row.int(2) ?? 0))
            }
            // The newest version per stage, stages in the order they first occur by version
            // (the order of MLflow's dict of latest versions).
            let versions = try await loadModelVersions(
                where: SQLFragment("\(names.sql) AND current_stage <> ?", names.binds + [.text(ModelStage.deletedInternal)]),
                orderBy: "name, version", on: connection)
            var latest: [String: [ModelVersion]] = [:]
            for version in versions {
                var list = latest[version.name, default: []]
                if let n = list.firstIndex(where: { $0.currentStage == version.currentStage }) {
                    list[n] = version
                } else {
                    list.append(version)
                }
                latest[version.name] = list
            }
            for (name, list) in latest {
                // A search lists them by stage name (MLflow's window query returns them so), a get
                // in the order the stages first occur.
                models[index[name] ?? 0].latestVersions =
                    latestByStage ? list.sorted { ($0.currentStage ?? "") < ($1.currentStage ?? "") } : list
            }
        }
        return models
    }

    private func upsertRegisteredModelTag(_ name: String, _ tag: KeyValue, on connection: any SQLConnection) async throws {
        try await connection.execute(
            """
            INSERT INTO registered_model_tags (key, value, name, workspace) VALUES (?, ?, ?, 'default')
            ON CONFLICT (workspace, key, name) DO UPDATE SET value = excluded.value
            """,
            [.text(tag.key), .text(tag.value), .text(name)])
    }
}
