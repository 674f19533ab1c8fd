/// System tag keys MLflow gives meaning to.
package enum RunTags {
    /// Mirrors the run's name; kept in step with the `name` column.
    package static let runName = "mlflow.runName"
}
