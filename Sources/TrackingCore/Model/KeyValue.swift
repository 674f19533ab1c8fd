/// A tag or parameter: MLflow stores both as plain key/value strings.
package struct KeyValue: Sendable, Equatable, Hashable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
