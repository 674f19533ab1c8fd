/// Whether an experiment or run is live or in the trash (MLflow's `lifecycle_stage` column).
package enum LifecycleStage: String, Sendable, Equatable {
    case active
    case deleted
}
