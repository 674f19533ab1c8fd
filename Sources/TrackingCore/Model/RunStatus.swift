/// MLflow's `RunStatus` enum, stored and sent by name.
package enum RunStatus: String, Sendable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}
