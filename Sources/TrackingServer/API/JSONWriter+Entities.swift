import TrackingCore

/// How each domain entity looks on the wire (MLflow's proto JSON), in one place.
extension JSONWriter {
    package mutating func keyValues(_ name: StaticString, _ pairs: [KeyValue]) {
        guard !pairs.isEmpty else { return }
        key(name)
        beginArray()
        for pair in pairs {
            beginObject()
            field("key", pair.key)
            field("value", pair.value)
            endObject()
        }
        endArray()
    }

    package mutating func experiment(_ experiment: Experiment) {
        beginObject()
        field("experiment_id", experiment.experimentId)
        field("name", experiment.name)
        field("artifact_location", experiment.artifactLocation)
        field("lifecycle_stage", experiment.lifecycleStage.rawValue)
        field("last_update_time", experiment.lastUpdateTime)
        field("creation_time", experiment.creationTime)
        keyValues("tags", experiment.tags)
        field("workspace", experiment.workspace)
        endObject()
    }

    package mutating func runInfo(_ info: RunInfo) {
        beginObject()
        field("run_uuid", info.runId)
        field("experiment_id", info.experimentId)
        field("run_name", info.runName)
        field("user_id", info.userId)
        field("status", info.status.rawValue)
        field("start_time", info.startTime)
        field("end_time", info.endTime)
        field("artifact_uri", info.artifactUri)
        field("lifecycle_stage", info.lifecycleStage.rawValue)
        field("run_id", info.runId)
        endObject()
    }

    package mutating func metric(_ metric: Metric, runId: String? = nil) {
        beginObject()
        field("key", metric.key)
        key("value")
        double(metric.value)
        field("timestamp", metric.timestamp)
        field("step", metric.step)
        field("run_id", runId)
        endObject()
    }

    package mutating func metrics(_ name: StaticString, _ metrics: [Metric]) {
        guard !metrics.isEmpty else { return }
        key(name)
        beginArray()
        for item in metrics { metric(item) }
        endArray()
    }

    /// A whole run; `outputs` is sent by `runs/get` only, as MLflow does.
    package mutating func run(_ run: Run, withOutputs: Bool) {
        beginObject()
        key("info")
        runInfo(run.info)
        key("data")
        beginObject()
        metrics("metrics", run.metrics)
        keyValues("params", run.params)
        keyValues("tags", run.tags)
        endObject()
        key("inputs")
        beginObject()
        if !run.datasetInputs.isEmpty {
            key("dataset_inputs")
            beginArray()
            for input in run.datasetInputs { datasetInput(input) }
            endArray()
        }
        if !run.modelInputs.isEmpty {
            key("model_inputs")
            beginArray()
            for modelId in run.modelInputs {
                beginObject()
                field("model_id", modelId)
                endObject()
            }
            endArray()
        }
        endObject()
        if withOutputs {
            key("outputs")
            beginObject()
            if !run.modelOutputs.isEmpty {
                key("model_outputs")
                beginArray()
                for output in run.modelOutputs {
                    beginObject()
                    field("model_id", output.modelId)
                    field("step", output.step)
                    endObject()
                }
                endArray()
            }
            endObject()
        }
        endObject()
    }

    package mutating func datasetInput(_ input: DatasetInput) {
        beginObject()
        keyValues("tags", input.tags)
        key("dataset")
        beginObject()
        field("name", input.dataset.name)
        field("digest", input.dataset.digest)
        field("source_type", input.dataset.sourceType)
        field("source", input.dataset.source)
        field("schema", input.dataset.schema)
        field("profile", input.dataset.profile)
        endObject()
        endObject()
    }
}
