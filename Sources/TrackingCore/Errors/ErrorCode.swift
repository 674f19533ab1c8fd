/// MLflow's `ErrorCode` names (mlflow/protos/databricks.proto) with the HTTP status MLflow's
/// `ERROR_CODE_TO_HTTP_STATUS` gives each: the one table every error response goes through.
package enum ErrorCode: String, Sendable, CaseIterable {
    case internalError = "INTERNAL_ERROR"
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"
    case badRequest = "BAD_REQUEST"
    case invalidParameterValue = "INVALID_PARAMETER_VALUE"
    case endpointNotFound = "ENDPOINT_NOT_FOUND"
    case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
    case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
    case invalidState = "INVALID_STATE"
    case notImplemented = "NOT_IMPLEMENTED"
    case permissionDenied = "PERMISSION_DENIED"
    case requestLimitExceeded = "REQUEST_LIMIT_EXCEEDED"

    /// The HTTP status MLflow answers with for this code.
    package var httpStatus: Int {
        switch self {
        case .badRequest, .invalidParameterValue, .resourceAlreadyExists: 400  // sic: MLflow uses 400, not 409
        case .permissionDenied: 403
        case .endpointNotFound, .resourceDoesNotExist: 404
        case .requestLimitExceeded: 429
        case .internalError, .invalidState: 500
        case .notImplemented: 501
        case .temporarilyUnavailable: 503
        }
    }

    /// MLflow's `error_class` field (mlflow/error_classification.py); nil where MLflow sends none.
    package var errorClass: String? {
        switch self {
        case .badRequest, .invalidParameterValue: "INVALID_PARAMETER_VALUE"
        case .endpointNotFound, .resourceDoesNotExist: "RESOURCE_NOT_FOUND"
        case .internalError, .invalidState, .temporarilyUnavailable: "CLIENT_INTERNAL_ERROR"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceAlreadyExists: "RESOURCE_ALREADY_EXISTS"
        case .notImplemented, .requestLimitExceeded: nil
        }
    }

    /// MLflow's `sqlstate` field: KAM00 for the caller's mistakes, XXM00 for the server's.
    package var sqlState: String? {
        switch self {
        case .internalError, .invalidState, .temporarilyUnavailable: "XXM00"
        case .notImplemented, .requestLimitExceeded: nil
        default: "KAM00"
        }
    }
}
