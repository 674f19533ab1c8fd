/// A dataset as logged with `mlflow.log_input`.
package struct Dataset: Sendable, Equatable {
    package var name: String
    package var digest: String
    package var sourceType: String
    package var source: String
    package var schema: String?
    package var profile: String?

    package init(name: String, digest: String, sourceType: String, source: String, schema: String?, profile: String?) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }
}

/// A dataset linked to a run, with the input's tags (e.g. `mlflow.data.context`).
package struct DatasetInput: Sendable, Equatable {
    package var dataset: Dataset
    package var tags: [KeyValue]

    package init(dataset: Dataset, tags: [KeyValue]) {
        self.dataset = dataset
        self.tags = tags
    }
}

/// One dataset used in an experiment, with the context it was logged in (`training`, `eval`, ...):
/// what the UI's dataset filter lists.
package struct DatasetSummary: Sendable, Equatable {
    package var experimentId: String
    package var name: String
    package var digest: String
    package var context: String?

    package init(experimentId: String, name: String, digest: String, context: String?) {
        self.experimentId = experimentId
        self.name = name
        self.digest = digest
        self.context = context
    }
}
