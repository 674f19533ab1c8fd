/// The one error type of the domain: an MLflow error code and a message for the user.
package struct TrackingError: Error, Sendable, Equatable, CustomStringConvertible {
    package let code: ErrorCode
    package let message: String
    /// What failed underneath (a database failure with its SQL), for the server's log and the
    /// command line only: never sent to a client.
    package let cause: String?

    package init(_ code: ErrorCode, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String { "\(code.rawValue): \(message)" }

    package static func invalidParameter(_ message: String) -> TrackingError {
        TrackingError(.invalidParameterValue, message)
    }

    package static func notFound(_ message: String) -> TrackingError {
        TrackingError(.resourceDoesNotExist, message)
    }

    /// MLflow's text for a required request field that is absent.
    package static func missingParameter(_ name: String) -> TrackingError {
        .invalidParameter(
            "Missing value for required parameter '\(name)'. See the API docs for more information about request parameters."
        )
    }

    /// MLflow's text for a request field of the wrong type or shape; `value` is rendered as Python's
    /// `json.dumps` would and `pythonType` is the Python type name (`int`, `str`, ...).
    package static func invalidValue(_ name: String, value: String, pythonType: String, detail: String = "")
        -> TrackingError
    {
        .invalidParameter(
            "Invalid value \(value) for parameter '\(name)' supplied: \(detail) Hint: Value was of type '\(pythonType)'. "
                + "See the API docs for more information about request parameters."
        )
    }

    /// The state check MLflow applies before any write to a run or experiment.
    package static func notActive(_ kind: String, _ id: String, current: LifecycleStage) -> TrackingError {
        .invalidParameter("The \(kind) \(id) must be in the 'active' state. Current state is \(current.rawValue).")
    }
}
