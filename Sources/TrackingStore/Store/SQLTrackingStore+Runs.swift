import TrackingCore

extension SQLTrackingStore {
    package func createRun(_ request: CreateRun) async throws -> Run {
        try await database.write { connection in
            let experiment = try await fetchExperiment(request.experimentId, on: connection)
            guard experiment.lifecycleStage == .active else {
                throw TrackingError.notActive("experiment", experiment.experimentId, current: experiment.lifecycleStage)
            }
            let runId = RunID.make()
            let artifactUri = ArtifactLocation.append(experiment.artifactLocation, runId, "artifacts")
            var tags = request.tags
            let tagName = tags.first { $0.key == RunTags.runName }?.value.nilIfEmpty
            if let name = request.runName?.nilIfEmpty, let tagName, tagName != name {
                throw TrackingError.invalidParameter(
                    "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                        + "(run_name='\(name)', mlflow.runName='\(tagName)').")
            }
            let runName = request.runName?.nilIfEmpty ?? tagName ?? RunNameGenerator.next()
            if tagName == nil { tags.append(KeyValue(key: RunTags.runName, value: runName)) }

            try await connection.execute(
                """
                INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,
                    start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
                VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, NULL, '', 'active', ?, ?)
                """,
                [.text(runId), .text(runName), .text(request.userId), .int(request.startTime), .text(artifactUri),
                 .int(try Self.experimentKey(experiment.experimentId))])
            try await upsertRunTags(runId, tags, on: connection)
            let info = RunInfo(
                runId: runId, experimentId: experiment.experimentId, runName: runName, userId: request.userId,
                status: .running, startTime: request.startTime, endTime: nil, artifactUri: artifactUri,
                lifecycleStage: .active)
            return Run(info: info, tags: Self.lastValuePerKey(tags))
        }
    }

    package func getRun(id: String) async throws -> Run {
        try await database.read { connection in
            let info = try await fetchRunInfo(id, on: connection)
            return try await loadRun(info, on: connection)
        }
    }

    /// Fills a run's data and inputs; shared with search.
    func loadRun(_ info: RunInfo, on connection: any SQLConnection) async throws -> Run {
        let id: SQLValue = .text(info.runId)
        let metrics = try await connection.query(
            "SELECT key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid = ?", [id]
        ).map(Self.metric(from:))
        let params = try await connection.query("SELECT key, value FROM params WHERE run_uuid = ?", [id])
            .map { KeyValue(key: $0.string(0) ?? "", value: $0.string(1) ?? "") }
        let tags = try await connection.query("SELECT key, value FROM tags WHERE run_uuid = ?", [id])
            .map { KeyValue(key: $0.string(0) ?? "", value: $0.string(1) ?? "") }
        let datasets = try await datasetInputs(runId: info.runId, on: connection)
        let models = try await connection.query(
            """
            SELECT destination_id FROM inputs
            WHERE source_type = 'RUN_INPUT' AND source_id = ? AND destination_type = 'MODEL_INPUT'
            """, [id]
        ).compactMap { $0.string(0) }
        var named = info
        if named.runName.isEmpty {
            // Runs written by old clients may carry their name only in the tag.
            named.runName = tags.first { $0.key == RunTags.runName }?.value ?? ""
        }
        var run = Run(info: named, metrics: metrics, params: params, tags: tags, datasetInputs: datasets, modelInputs: models)
        run.modelOutputs = try await modelOutputs(runIds: [info.runId], on: connection)[info.runId] ?? []
        return run
    }

    /// A metric row `(key, value, timestamp, step, is_nan)`; MLflow stores NaN as 0 with `is_nan` set.
    static func metric(from row: SQLRow) -> Metric {
        Metric(
            key: row.string(0) ?? "",
            value: row.bool(4) ? .nan : (row.double(1) ?? 0),
            timestamp: row.int(2) ?? 0,
            step: row.int(3) ?? 0)
    }

    package func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) async throws -> RunInfo {
        try await database.write { connection in
            var info = try await activeRun(id, on: connection)
            if let status { info.status = status }
            if let endTime { info.endTime = endTime }
            if let runName, !runName.isEmpty {
                info.runName = runName
                try await upsertRunTags(id, [KeyValue(key: RunTags.runName, value: runName)], on: connection)
            }
            try await connection.execute(
                "UPDATE runs SET status = ?, end_time = ?, name = ? WHERE run_uuid = ?",
                [.text(info.status.rawValue), SQLValue(info.endTime), .text(info.runName), .text(id)])
            return info
        }
    }

    package func deleteRun(id: String) async throws {
        let now = clock()
        try await database.write { connection in
            _ = try await fetchRunInfo(id, on: connection)
            try await connection.execute(
                "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?", [.int(now), .text(id)])
        }
    }

    package func restoreRun(id: String) async throws {
        try await database.write { connection in
            _ = try await fetchRunInfo(id, on: connection)
            try await connection.execute(
                "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", [.text(id)])
        }
    }

    /// Writes tags, the last value winning for a key given twice (as MLflow's `_set_tags` does).
    func upsertRunTags(_ runId: String, _ tags: [KeyValue], on connection: any SQLConnection) async throws {
        for tag in Self.lastValuePerKey(tags) {
            try await connection.execute(
                """
                INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)
                ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value
                """,
                [.text(tag.key), .text(tag.value), .text(runId)])
        }
    }

    /// Keeps the first position of each key and the last value given for it.
    static func lastValuePerKey(_ pairs: [KeyValue]) -> [KeyValue] {
        var index: [String: Int] = [:]
        var result: [KeyValue] = []
        for pair in pairs {
            if let i = index[pair.key] {
                result[i].value = pair.value
            } else {
                index[pair.key] = result.count
                result.append(pair)
            }
        }
        return result
    }
}
