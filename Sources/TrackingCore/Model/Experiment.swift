/// An experiment as MLflow returns it.
package struct Experiment: Sendable, Equatable {
    package var experimentId: String
    package var name: String
    package var artifactLocation: String
    package var lifecycleStage: LifecycleStage
    package var creationTime: Int64?
    package var lastUpdateTime: Int64?
    package var tags: [KeyValue]
    package var workspace: String

    package init(
        experimentId: String, name: String, artifactLocation: String, lifecycleStage: LifecycleStage,
        creationTime: Int64?, lastUpdateTime: Int64?, tags: [KeyValue], workspace: String = "default"
    ) {
        self.experimentId = experimentId
        self.name = name
        self.artifactLocation = artifactLocation
        self.lifecycleStage = lifecycleStage
        self.creationTime = creationTime
        self.lastUpdateTime = lastUpdateTime
        self.tags = tags
        self.workspace = workspace
    }
}
