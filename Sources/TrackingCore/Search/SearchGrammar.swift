/// The tables that differ between the run and the experiment search languages (MLflow's
/// `SearchUtils` and `SearchExperimentsUtils`), and the renderings of the Python sets MLflow
/// prints in its messages (Python's set order varies per process; one fixed order is printed).
package struct SearchGrammar: Sendable {
    package enum Kind: Sendable { case runs, experiments, registeredModels, modelVersions }

    /// The registry's languages (MLflow's `SearchModelUtils`, `SearchModelVersionUtils`).
    var isRegistry: Bool { kind == .registeredModels || kind == .modelVersions }

    let kind: Kind
    let searchAttributes: [String]
    let orderByAttributes: [String]
    let numericAttributes: Set<String>
    let listKeys: [String]

    package static let runs = SearchGrammar(
        kind: .runs,
        searchAttributes: [
            "artifact_uri", "end_time", "run_id", "run_name", "start_time", "status", "user_id", "created", "Created",
            "run name", "Run name", "Run Name",
        ],
        orderByAttributes: [
            "artifact_uri", "end_time", "run_id", "run_name", "start_time", "status", "user_id", "created", "Created",
        ],
        numericAttributes: ["start_time", "end_time", "created", "Created"],
        listKeys: ["run_id"])

    package static let experiments = SearchGrammar(
        kind: .experiments,
        searchAttributes: ["name", "experiment_id", "creation_time", "last_update_time"],
        orderByAttributes: ["name", "experiment_id", "creation_time", "last_update_time"],
        numericAttributes: ["creation_time", "last_update_time"],
        listKeys: ["experiment_id"])

    package static let registeredModels = SearchGrammar(
        kind: .registeredModels,
        searchAttributes: ["name"],
        orderByAttributes: ["name", "creation_timestamp", "last_updated_timestamp"],
        numericAttributes: ["creation_timestamp", "last_updated_timestamp"],
        listKeys: ["name"])

    package static let modelVersions = SearchGrammar(
        kind: .modelVersions,
        searchAttributes: ["name", "version_number", "run_id", "source_path"],
        orderByAttributes: ["name", "version_number", "creation_timestamp", "last_updated_timestamp"],
        numericAttributes: ["version_number", "creation_timestamp", "last_updated_timestamp"],
        listKeys: ["name", "run_id"])

    // MARK: comparator sets, as MLflow prints them

    static let metricComparators: [String] = [">", ">=", "!=", "<", "<=", "="]
    static let paramComparators: [String] = ["!=", "=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"]
    static let stringAttributeComparators: [String] = ["!=", "=", "LIKE", "ILIKE", "IN", "NOT IN"]
    static let datasetKeys: [String] = ["name", "digest", "context"]

    /// `{'a', 'b'}`: a Python set of strings as printed.
    static func pythonSet(_ items: [String]) -> String {
        "{" + items.map(PythonRepr.string).joined(separator: ", ") + "}"
    }

    /// `['run_id']`: a sorted Python list as printed.
    static func pythonList(_ items: [String]) -> String {
        "[" + items.sorted().map(PythonRepr.string).joined(separator: ", ") + "]"
    }

    var searchAttributeSet: String { Self.pythonSet(searchAttributes) }
    var orderByAttributeSet: String { Self.pythonSet(orderByAttributes) }
}
