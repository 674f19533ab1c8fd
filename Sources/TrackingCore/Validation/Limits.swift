/// MLflow 3.17.2's validation limits (mlflow/utils/validation.py and the store constants).
package enum Limits {
    package static let entityKeyLength = 250
    package static let paramValueLength = 6000
    package static let tagValueLength = 8000
    package static let experimentNameLength = 500
    package static let experimentTagKeyLength = 250
    package static let experimentTagValueLength = 20000
    package static let metricsPerBatch = 1000
    package static let paramsTagsPerBatch = 100
    package static let entitiesPerBatch = 1000
    package static let batchRequestBytes = 1_000_000
    package static let datasetNameLength = 500
    package static let datasetDigestLength = 36
    package static let datasetSourceLength = 65535
    package static let datasetSchemaLength = 1_048_575
    package static let datasetProfileLength = 16_777_215
    package static let inputTagKeyLength = 255
    package static let inputTagValueLength = 500
    package static let metricHistoryPage = 25000
    package static let bulkIntervalRunIds = 100
    package static let bulkIntervalMaxResults = 2500
    package static let bulkHistoryRunIds = 100
}
