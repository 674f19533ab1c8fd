import TrackingCore

/// MLflow 3 logged models in `logged_models` and its param, tag and metric tables, and run
/// outputs in `inputs` (`RUN_OUTPUT` → `MODEL_OUTPUT`), as MLflow's tracking store writes them.
extension SQLTrackingStore: LoggedModelStore {
    package func createLoggedModel(_ request: CreateLoggedModel) async throws -> LoggedModel {
        let now = clock()
        let modelId = "m-" + RunID.make()
        return try await database.write { connection in
            let experiment = try await fetchExperiment(request.experimentId, on: connection)
            guard experiment.lifecycleStage == .active else {
                throw TrackingError.notActive("experiment", request.experimentId, current: experiment.lifecycleStage)
            }
            let experimentKey = try Self.experimentKey(request.experimentId)
            try await connection.execute(
                """
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                    last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id, status_message)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)
                """,
                [
                    .text(modelId), .int(experimentKey), .text(request.name),
                    .text(ArtifactLocation.append(experiment.artifactLocation, "models", modelId, "artifacts")),
                    .int(now), .int(now), .int(LoggedModelStatus.pending.rawValue), SQLValue(request.modelType),
                    SQLValue(request.sourceRunId),
                ])
            try await insertParams(modelId, experimentKey, request.params, on: connection)
            try await upsertTags(modelId, experimentKey, request.tags, on: connection)
            return try await fetchLoggedModel(modelId, allowDeleted: false, on: connection)
        }
    }

    package func getLoggedModel(id: String, allowDeleted: Bool) async throws -> LoggedModel {
        try await database.read { connection in try await fetchLoggedModel(id, allowDeleted: allowDeleted, on: connection) }
    }

    package func finalizeLoggedModel(id: String, status: LoggedModelStatus) async throws -> LoggedModel {
        let now = clock()
        return try await database.write { connection in
            _ = try await loggedModelExperiment(id, on: connection)
            try await connection.execute(
                "UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?",
                [.int(status.rawValue), .int(now), .text(id)])
            return try await fetchLoggedModel(id, allowDeleted: true, on: connection)
        }
    }

    package func deleteLoggedModel(id: String) async throws {
        let now = clock()
        try await database.write { connection in
            _ = try await loggedModelExperiment(id, on: connection)
            try await connection.execute(
                "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?",
                [.int(now), .text(id)])
        }
    }

    package func setLoggedModelTags(id: String, tags: [KeyValue]) async throws {
        try await database.write { connection in
            let experiment = try await loggedModelExperiment(id, on: connection)
            try await upsertTags(id, experiment, tags, on: connection)
        }
    }

    package func deleteLoggedModelTag(id: String, key: String) async throws {
        try await database.write { connection in
            _ = try await loggedModelExperiment(id, on: connection)
            let removed = try await connection.query(
                "DELETE FROM logged_model_tags WHERE model_id = ? AND tag_key = ? RETURNING tag_key", [.text(id), .text(key)])
            guard !removed.isEmpty else {
                throw TrackingError.notFound(
                    "No tag with key \(PythonRepr.string(key)) found for model with ID \(PythonRepr.string(id)).")
            }
        }
    }

    package func logLoggedModelParams(id: String, params: [KeyValue]) async throws {
        try await database.write { connection in
            let experiment = try await loggedModelExperiment(id, on: connection)
            try await insertParams(id, experiment, params, on: connection)
        }
    }

    package func recordModelVersion(modelId: String, name: String, version: Int64) async throws {
        try await database.write { connection in
            let experiment = try await loggedModelExperiment(modelId, on: connection)
            let rows = try await connection.query(
                "SELECT tag_value FROM logged_model_tags WHERE model_id = ? AND tag_key = ?",
                [.text(modelId), .text(LoggedModelTags.modelVersions)])
            let entry = "{\"name\": \(PythonJSON.string(name)), \"version\": \(version)}"
            var value = "[\(entry)]"
            if let existing = rows.first?.string(0), existing.hasPrefix("["), existing.hasSuffix("]") {
                // MLflow appends to its json.dumps list unless the entry is already there.
                if existing.contains(entry) { return }
                let inner = existing.dropFirst().dropLast()
                value = inner.isEmpty ? "[\(entry)]" : "[\(inner), \(entry)]"
            }
            try await upsertTags(modelId, experiment, [KeyValue(key: LoggedModelTags.modelVersions, value: value)], on: connection)
        }
    }

    package func logModelMetrics(runId: String, metrics: [ModelMetric]) async throws {
        guard !metrics.isEmpty else { return }
        try await database.write { connection in
            let run = try await activeRun(runId, on: connection)
            let experiment = try Self.experimentKey(run.experimentId)
            for item in metrics {
                _ = try await loggedModelExperiment(item.modelId, on: connection)
                // MLflow stores NaN as 0 and infinities as the largest finite doubles here.
                let value = item.metric.value.isNaN ? 0 : max(-Double.greatestFiniteMagnitude, min(Double.greatestFiniteMagnitude, item.metric.value))
                try await connection.execute(
                    """
                    INSERT INTO logged_model_metrics (model_id, metric_name, metric_timestamp_ms, metric_step, metric_value,
                        experiment_id, run_id, dataset_uuid, dataset_name, dataset_digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?) ON CONFLICT DO NOTHING
                    """,
                    [
                        .text(item.modelId), .text(item.metric.key), .int(item.metric.timestamp), .int(item.metric.step),
                        .double(value), .int(experiment), .text(runId), SQLValue(item.datasetName),
                        SQLValue(item.datasetDigest),
                    ])
            }
        }
    }

    package func logOutputs(runId: String, models: [ModelOutput]) async throws {
        try await database.write { connection in
            try await activeRun(runId, on: connection)
            for model in models {
                try await connection.execute(
                    """
                    INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step)
                    VALUES (?, 'RUN_OUTPUT', ?, 'MODEL_OUTPUT', ?, ?)
                    """,
                    [.text(RunID.make()), .text(runId), .text(model.modelId), .int(model.step)])
            }
        }
    }

    package func searchLoggedModels(_ search: LoggedModelSearch) async throws -> SearchPage<LoggedModel> {
        let keys = try search.experimentIds.map { try Self.experimentKey($0) }
        guard !keys.isEmpty else { return SearchPage(items: [], nextPageToken: nil) }
        let query = SearchSQL(dialect: database.dialect).loggedModels(search, experiments: keys, columns: Self.loggedModelColumns)
        return try await database.read { connection in
            let rows = try await connection.query(query.sql, query.binds)
            let page = SearchPage(rows: rows, limit: search.maxResults, offset: search.offset)
            var models: [LoggedModel] = []
            for row in page.items { models.append(try await loadLoggedModel(row, on: connection)) }
            return SearchPage(items: models, nextPageToken: page.nextPageToken)
        }
    }

    // MARK: helpers

    static let loggedModelColumns = """
        model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, \
        lifecycle_stage, model_type, source_run_id, status_message
        """

    /// The model's experiment key, or MLflow's not-found error (deleted models included, as MLflow's writes find them).
    private func loggedModelExperiment(_ id: String, on connection: any SQLConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT experiment_id FROM logged_models WHERE model_id = ?", [.text(id)])
        guard let key = rows.first?.int(0) else { throw TrackingError.notFound("Logged model with ID '\(id)' not found.") }
        return key
    }

    func fetchLoggedModel(_ id: String, allowDeleted: Bool, on connection: any SQLConnection) async throws -> LoggedModel {
        let rows = try await connection.query(
            "SELECT \(Self.loggedModelColumns) FROM logged_models WHERE model_id = ?"
                + (allowDeleted ? "" : " AND lifecycle_stage <> 'deleted'"),
            [.text(id)])
        guard let row = rows.first else { throw TrackingError.notFound("Logged model with ID '\(id)' not found.") }
        return try await loadLoggedModel(row, on: connection)
    }

    private func loadLoggedModel(_ row: SQLRow, on connection: any SQLConnection) async throws -> LoggedModel {
        let id = row.string(0) ?? ""
        var model = LoggedModel(
            modelId: id, experimentId: row.string(1) ?? "", name: row.string(2) ?? "", artifactLocation: row.string(3) ?? "",
            creationTimestamp: row.int(4) ?? 0, lastUpdatedTimestamp: row.int(5) ?? 0,
            status: LoggedModelStatus(rawValue: row.int(6) ?? 0) ?? .unspecified,
            lifecycleStage: LifecycleStage(rawValue: row.string(7) ?? "") ?? .active, modelType: row.string(8),
            sourceRunId: row.string(9), statusMessage: row.string(10))
        model.tags = try await connection.query(
            "SELECT tag_key, tag_value FROM logged_model_tags WHERE model_id = ? ORDER BY tag_key", [.text(id)]
        ).map { KeyValue(key: $0.string(0) ?? "", value: $0.string(1) ?? "") }
        model.params = try await connection.query(
            "SELECT param_key, param_value FROM logged_model_params WHERE model_id = ? ORDER BY param_key", [.text(id)]
        ).map { KeyValue(key: $0.string(0) ?? "", value: $0.string(1) ?? "") }
        model.metrics = try await connection.query(
            """
            SELECT metric_name, metric_value, metric_timestamp_ms, metric_step, run_id, dataset_name, dataset_digest
            FROM logged_model_metrics WHERE model_id = ? ORDER BY metric_name, metric_timestamp_ms, metric_step
            """,
            [.text(id)]
        ).map {
            LoggedModelMetric(
                key: $0.string(0) ?? "", value: $0.double(1) ?? .nan, timestamp: $0.int(2) ?? 0, step: $0.int(3) ?? 0,
                runId: $0.string(4) ?? "", datasetName: $0.string(5), datasetDigest: $0.string(6))
        }
        return model
    }

    private func insertParams(_ id: String, _ experiment: Int64, _ params: [KeyValue], on connection: any SQLConnection)
        async throws
    {
        for param in params {
            do {
                try await connection.execute(
                    "INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value) VALUES (?, ?, ?, ?)",
                    [.text(id), .int(experiment), .text(param.key), .text(param.value)])
            } catch let error as DatabaseError where error.kind == .constraint {
                // MLflow's insert fails the same way (an IntegrityError); say which key.
                throw TrackingError.invalidParameter("Param with key '\(param.key)' was already logged for model '\(id)'.")
            }
        }
    }

    private func upsertTags(_ id: String, _ experiment: Int64, _ tags: [KeyValue], on connection: any SQLConnection)
        async throws
    {
        for tag in tags {
            try await connection.execute(
                """
                INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value) VALUES (?, ?, ?, ?)
                ON CONFLICT (model_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value
                """,
                [.text(id), .int(experiment), .text(tag.key), .text(tag.value)])
        }
    }
}

/// Tags MLflow puts on logged models.
package enum LoggedModelTags {
    package static let modelVersions = "mlflow.modelVersions"
}

extension SQLTrackingStore {
    /// The logged models each run produced, by run id.
    func modelOutputs(runIds: [String], on connection: any SQLConnection) async throws -> [String: [ModelOutput]] {
        guard !runIds.isEmpty else { return [:] }
        let ids = connection.dialect.inList("source_id", runIds.map(SQLValue.text))
        var outputs: [String: [ModelOutput]] = [:]
        for row in try await connection.query(
            "SELECT source_id, destination_id, step FROM inputs WHERE source_type = 'RUN_OUTPUT' AND destination_type = 'MODEL_OUTPUT' AND \(ids.sql)",
            ids.binds)
        {
            outputs[row.string(0) ?? "", default: []].append(ModelOutput(modelId: row.string(1) ?? "", step: row.int(2) ?? 0))
        }
        return outputs
    }
}
