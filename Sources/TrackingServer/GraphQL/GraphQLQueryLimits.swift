import GraphQL

/// MLflow's guard against expensive GraphQL documents (`graphql_no_batching.py`): a bounded depth
/// and number of selections, and at most so many root fields and aliases per selection level,
/// counted across the fragments spread into that level.
package struct GraphQLQueryLimits: Sendable, Equatable {
    var maxRootFields: Int
    var maxAliases: Int
    static let maxDepth = 10
    static let maxSelections = 1000

    /// MLflow's default limits; `ServerConfiguration.resolve` applies its environment overrides.
    package init(maxRootFields: Int = 10, maxAliases: Int = 10) {
        self.maxRootFields = maxRootFields
        self.maxAliases = maxAliases
    }

    /// The message MLflow reports for a document over a limit, or nil when it is within them.
    func violation(in document: Document) -> String? {
        var fragments: [String: FragmentDefinition] = [:]
        for case let fragment as FragmentDefinition in document.definitions { fragments[fragment.name.value] = fragment }
        var rootFields = 0
        var maxAliasesSeen = 0
        var selections = 0
        for case let operation as OperationDefinition in document.definitions {
            var stack: [(SelectionSet, Int, Set<String>)] = [(operation.selectionSet, 1, [])]
            while let (selectionSet, depth, visited) = stack.popLast() {
                if depth > Self.maxDepth { return "Query exceeds maximum depth of \(Self.maxDepth)" }
                let (fields, aliases) = Self.fieldsAndAliases(selectionSet, fragments: fragments, visited: visited)
                for field in fields {
                    if depth == 1 { rootFields += 1 }
                    if let nested = field.selectionSet { stack.append((nested, depth + 1, visited)) }
                    selections += 1
                    if selections > Self.maxSelections {
                        return "Query exceeds maximum total selections of \(Self.maxSelections)"
                    }
                }
                maxAliasesSeen = max(maxAliasesSeen, aliases)
            }
        }
        if rootFields > maxRootFields {
            return Self.message("root fields", limit: maxRootFields, got: rootFields, variable: "MLFLOW_SERVER_GRAPHQL_MAX_ROOT_FIELDS")
        }
        if maxAliasesSeen > maxAliases {
            return Self.message("aliases", limit: maxAliases, got: maxAliasesSeen, variable: "MLFLOW_SERVER_GRAPHQL_MAX_ALIASES")
        }
        return nil
    }

    private static func message(_ what: String, limit: Int, got: Int, variable: String) -> String {
        "GraphQL queries should have at most \(limit) \(what), got \(got) \(what). To increase the limit, set the \(variable) environment variable."
    }

    /// The fields of one level, with inline fragments and fragment spreads merged in (each
    /// fragment once, so a cycle cannot loop), and the number of aliases among them.
    private static func fieldsAndAliases(
        _ selectionSet: SelectionSet, fragments: [String: FragmentDefinition], visited: Set<String>
    ) -> ([Field], Int) {
        var fields: [Field] = []
        var aliases = 0
        var pending = selectionSet.selections[...]
        var seen = visited
        while let selection = pending.popFirst() {
            switch selection {
            case let field as Field:
                fields.append(field)
                if field.alias != nil { aliases += 1 }
            case let inline as InlineFragment:
                pending.append(contentsOf: inline.selectionSet.selections)
            case let spread as FragmentSpread:
                let name = spread.name.value
                if seen.insert(name).inserted, let fragment = fragments[name] {
                    pending.append(contentsOf: fragment.selectionSet.selections)
                }
            default:
                break
            }
        }
        return (fields, aliases)
    }
}
