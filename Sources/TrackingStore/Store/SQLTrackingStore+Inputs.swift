import TrackingCore

extension SQLTrackingStore {
    /// Links datasets (created once per experiment, by name and digest) and logged models to a run.
    package func logInputs(runId: String, datasets: [DatasetInput], modelIds: [String]) async throws {
        try await database.write { connection in
            let run = try await activeRun(runId, on: connection)
            let experimentKey = try Self.experimentKey(run.experimentId)
            var seen: Set<[String]> = []
            for input in datasets where seen.insert([input.dataset.name, input.dataset.digest]).inserted {
                let datasetId = try await datasetUUID(input.dataset, experiment: experimentKey, on: connection)
                let linked = try await connection.query(
                    """
                    SELECT input_uuid FROM inputs
                    WHERE source_type = 'DATASET' AND source_id = ? AND destination_type = 'RUN' AND destination_id = ?
                    """, [.text(datasetId), .text(runId)])
                guard linked.isEmpty else { continue }
                let inputId = RunID.make()
                try await connection.execute(
                    """
                    INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step)
                    VALUES (?, 'DATASET', ?, 'RUN', ?, 0)
                    """, [.text(inputId), .text(datasetId), .text(runId)])
                for tag in Self.lastValuePerKey(input.tags) {
                    try await connection.execute(
                        "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)",
                        [.text(inputId), .text(tag.key), .text(tag.value)])
                }
            }
            for modelId in modelIds {
                try await connection.execute(
                    """
                    INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id, step)
                    VALUES (?, 'RUN_INPUT', ?, 'MODEL_INPUT', ?, 0) ON CONFLICT DO NOTHING
                    """, [.text(RunID.make()), .text(runId), .text(modelId)])
            }
        }
    }

    package func searchDatasetSummaries(experimentIds: [String]) async throws -> [DatasetSummary] {
        let keys = try experimentIds.map(Self.experimentKey)
        guard !keys.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        return try await database.read { connection in
            let rows = try await connection.query(
                """
                SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value
                FROM datasets d
                JOIN inputs i ON i.source_id = d.dataset_uuid
                LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = 'mlflow.data.context'
                WHERE d.experiment_id IN (\(placeholders))
                LIMIT 1000
                """, keys.map { .int($0) })
            return rows.map { row in
                DatasetSummary(
                    experimentId: row.int(0).map { String($0) } ?? "", name: row.string(1) ?? "",
                    digest: row.string(2) ?? "", context: row.string(3))
            }
        }
    }

    private func datasetUUID(_ dataset: Dataset, experiment: Int64, on connection: any SQLConnection) async throws -> String {
        let existing = try await connection.query(
            "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
            [.int(experiment), .text(dataset.name), .text(dataset.digest)])
        if let id = existing.first?.string(0) { return id }
        let id = RunID.make()
        try await connection.execute(
            """
            INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source,
                dataset_schema, dataset_profile)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [.text(id), .int(experiment), .text(dataset.name), .text(dataset.digest), .text(dataset.sourceType),
             .text(dataset.source), SQLValue(dataset.schema), SQLValue(dataset.profile)])
        return id
    }

    /// The datasets linked to a run, each with its input tags.
    func datasetInputs(runId: String, on connection: any SQLConnection) async throws -> [DatasetInput] {
        try await datasetInputs(where: SQLFragment("i.destination_id = ?", [.text(runId)]), on: connection)[runId] ?? []
    }

    /// The dataset inputs of the runs a condition on `inputs i` selects, by run id.
    func datasetInputs(where condition: SQLFragment, on connection: any SQLConnection) async throws
        -> [String: [DatasetInput]]
    {
        let rows = try await connection.query(
            """
            SELECT i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema,
                d.dataset_profile, t.name, t.value, i.destination_id
            FROM inputs i
            JOIN datasets d ON i.source_id = d.dataset_uuid
            LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid
            WHERE i.destination_type = 'RUN' AND \(condition.sql)
            """, condition.binds)
        var result: [String: [DatasetInput]] = [:]
        var position: [String: (run: String, index: Int)] = [:]
        for row in rows {
            let inputId = row.string(0) ?? ""
            let runId = row.string(9) ?? ""
            if position[inputId] == nil {
                position[inputId] = (runId, result[runId, default: []].count)
                let dataset = Dataset(
                    name: row.string(1) ?? "", digest: row.string(2) ?? "", sourceType: row.string(3) ?? "",
                    source: row.string(4) ?? "", schema: row.string(5), profile: row.string(6))
                result[runId, default: []].append(DatasetInput(dataset: dataset, tags: []))
            }
            if let name = row.string(7), let (run, i) = position[inputId] {
                result[run]![i].tags.append(KeyValue(key: name, value: row.string(8) ?? ""))
            }
        }
        return result
    }
}
