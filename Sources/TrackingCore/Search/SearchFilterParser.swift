/// MLflow's `parse_search_filter` for runs and experiments: a filter string becomes a list of
/// clauses, or a `TrackingError` (400 `INVALID_PARAMETER_VALUE`) with MLflow's message. No SQL
/// here: values stay values, and the store binds them.
package struct SearchFilterParser: Sendable {
    let grammar: SearchGrammar

    package init(_ grammar: SearchGrammar) { self.grammar = grammar }

    package func parse(_ filter: String) throws(TrackingError) -> [SearchComparison] {
        if filter.isEmpty { return [] }
        let statements: [[FilterNode]]
        do {
            statements = try FilterStatement.parse(filter)
        } catch {
            throw .invalidParameter("Error on parsing filter '\(filter)'")
        }
        guard let statement = statements.first else {
            throw .invalidParameter("Invalid filter '\(filter)'. Could not be parsed.")
        }
        guard statements.count == 1 else {
            throw .invalidParameter(
                "Search filter contained multiple expression \(PythonRepr.string(filter)). Provide AND-ed expression list.")
        }
        let tokens = Self.joinInComparisons(statement)
        let invalid = tokens.filter { !($0.kind == .comparison || $0.isWhitespace || $0.isKeyword("AND")) }
        if !invalid.isEmpty {
            let listed = grammar.kind == .runs
                ? invalid.map { "'\($0.text)'" }.joined(separator: ", ")
                : invalid.map(\.text).joined(separator: ", ")
            throw .invalidParameter("Invalid clause(s) in filter string: \(listed)")
        }
        return try tokens.filter { $0.kind == .comparison }.map { node throws(TrackingError) in try comparison(node) }
    }

    /// MLflow's `_join_in_comparison_tokens`: `x IN (...)`, `x NOT IN (...)`, `x IS NULL` and
    /// `x IS NOT NULL` become comparisons (sqlparse does not group them).
    static func joinInComparisons(_ statement: [FilterNode]) -> [FilterNode] {
        let t = statement.filter { !$0.isWhitespace }
        var out: [FilterNode] = []
        var i = 0
        while i < t.count {
            if t.count - i < 3 {
                out.append(contentsOf: t[i...])
                break
            }
            let first = t[i]
            guard first.kind == .identifier else {
                out.append(first)
                i += 1
                continue
            }
            let second = t[i + 1]
            let third = t[i + 2]
            if second.isKeyword("IN"), third.kind == .parenthesis {
                out.append(FilterNode(.comparison, [first, second, third]))
                i += 3
                continue
            }
            if second.isKeyword("IS"), third.isKeyword("NULL") {
                out.append(FilterNode(.comparison, [first, Self.keyword("IS NULL")]))
                i += 3
                continue
            }
            if second.isKeyword("IS"), third.type == .keyword, third.text.uppercased() == "NOT NULL" {
                out.append(FilterNode(.comparison, [first, Self.keyword("IS NOT NULL")]))
                i += 3
                continue
            }
            guard i + 3 < t.count else {
                out.append(contentsOf: [first, second, third])
                break
            }
            let fourth = t[i + 3]
            if second.isKeyword("NOT"), third.isKeyword("IN"), fourth.kind == .parenthesis {
                out.append(FilterNode(.comparison, [first, Self.keyword("NOT IN"), fourth]))
            } else {
                out.append(contentsOf: [first, second, third, fourth])
            }
            i += 4
        }
        return out
    }

    private static func keyword(_ text: String) -> FilterNode { FilterNode(FilterToken(type: .keyword, text: text)) }

    // MARK: one clause

    private func comparison(_ node: FilterNode) throws(TrackingError) -> SearchComparison {
        let parts = node.children.filter { !$0.isWhitespace }
        if parts.count == 2, ["IS NULL", "IS NOT NULL"].contains(parts[1].text.uppercased()) {
            guard parts[0].kind == .identifier else {
                throw .invalidParameter("Invalid comparison clause. Expected 'Identifier' found '\(parts[0].text)'")
            }
            let (entity, key) = try identifier(parts[0].text, validAttributes: grammar.searchAttributes)
            switch grammar.kind {
            case .registeredModels, .modelVersions:
                // MLflow lets the clause through and then fails unpacking it (HTTP 500); a 400 says why.
                throw .invalidParameter("Invalid comparison clause. Expected 3 tokens found 2")
            case .runs where entity != .tag && entity != .parameter:
                throw .invalidParameter(
                    "IS NULL / IS NOT NULL is only supported for tags and params, not for '\(entity.rawValue)' '\(key)'")
            case .experiments where entity != .tag:
                throw .invalidParameter("IS NULL / IS NOT NULL is only supported for tags, not for attribute '\(key)'")
            default:
                return SearchComparison(entity, key, parts[1].text.uppercased(), .none)
            }
        }
        guard parts.count == 3 else {
            throw .invalidParameter("Invalid comparison clause. Expected 3 tokens found \(parts.count)")
        }
        guard parts[0].kind == .identifier else {
            throw .invalidParameter("Invalid comparison clause. Expected 'Identifier' found '\(parts[0].text)'")
        }
        let (entity, key) = try identifier(parts[0].text, validAttributes: grammar.searchAttributes)
        return SearchComparison(entity, key, parts[1].text, try value(entity, key, parts[2]))
    }

    /// MLflow's `_get_identifier`: `entity.key` (or a bare attribute key), the entity checked against
    /// the alias table and the key stripped of one pair of quotes, then of backticks.
    func identifier(_ text: String, validAttributes: [String]) throws(TrackingError) -> (SearchEntity, String) {
        let entity: SearchEntity
        let rawKey: String
        if let dot = text.firstIndex(of: ".") {
            let name = String(text[..<dot])
            rawKey = String(text[text.index(after: dot)...])
            entity = try entityType(name)
        } else {
            entity = .attribute
            rawKey = text
        }
        if grammar.isRegistry, entity == .attribute, !validAttributes.contains(rawKey) {
            // The registry checks the key before removing its quotes.
            throw .invalidParameter(
                "Invalid attribute key '\(rawKey)' specified. Valid keys are '\(SearchGrammar.pythonSet(validAttributes))'")
        }
        let key = Self.trimBackticks(Self.stripQuotes(rawKey))
        if entity == .attribute, !validAttributes.contains(key) {
            throw .invalidParameter(
                "Invalid attribute key '\(key)' specified. Valid keys are '\(SearchGrammar.pythonSet(validAttributes))'")
        }
        if entity == .dataset, !SearchGrammar.datasetKeys.contains(key) {
            throw .invalidParameter(
                "Invalid dataset key '\(key)' specified. Valid keys are '\(SearchGrammar.pythonSet(SearchGrammar.datasetKeys))'")
        }
        return (entity, key)
    }

    private func entityType(_ name: String) throws(TrackingError) -> SearchEntity {
        if grammar.kind != .runs {
            switch name {
            case "attribute": return .attribute
            case "tag", "tags": return .tag
            default:
                throw .invalidParameter(
                    "Invalid entity type '\(name)'. Valid entity types are ('attribute', 'tag', 'tags')")
            }
        }
        let trimmed = Self.trimBackticks(name)
        switch trimmed {
        case "metric", "metrics": return .metric
        case "parameter", "parameters", "param", "params": return .parameter
        case "tag", "tags": return .tag
        case "attribute", "attributes", "attr", "run": return .attribute
        case "dataset", "datasets": return .dataset
        default:
            throw .invalidParameter(
                "Invalid entity type '\(trimmed)'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']")
        }
    }

    /// MLflow's `_get_value`: what each entity accepts on the right-hand side.
    private func value(_ entity: SearchEntity, _ key: String, _ token: FilterNode) throws(TrackingError) -> SearchValue {
        let isString = token.type == .stringSingle || token.kind == .identifier
        let isNumber = token.type == .integer || token.type == .float
        if grammar.isRegistry { return try registryValue(entity, key, token, isString: isString, isNumber: isNumber) }
        switch entity {
        case .metric:
            guard isNumber else { throw .invalidParameter("Expected numeric value type for metric. Found \(token.text)") }
            return .number(token.text)
        case .parameter, .tag:
            guard isString else {
                throw .invalidParameter(
                    "Expected a quoted string value for \(entity.rawValue) (e.g. 'my-value'). Got value \(token.text)")
            }
            return .string(try Self.quotedValue(token.text))
        case .attribute where grammar.numericAttributes.contains(key):
            guard isNumber else {
                throw .invalidParameter("Expected numeric value type for numeric attribute: \(key). Found \(token.text)")
            }
            if token.type == .integer, let value = Int64(Self.asciiDigits(token.text)) { return .int(value) }
            return .double(Self.pythonFloat(token.text))
        case .attribute:
            if isString { return .string(try Self.quotedValue(token.text)) }
            guard token.kind == .parenthesis else {
                throw .invalidParameter("Expected a quoted string value for attributes. Got value \(token.text)")
            }
            guard grammar.listKeys.contains(key) else {
                throw .invalidParameter(
                    "Only \(SearchGrammar.pythonList(grammar.listKeys)) attributes support comparison with a list of quoted string values.")
            }
            return .list(try Self.list(token.text))
        case .dataset:
            if isString { return .string(try Self.quotedValue(token.text)) }
            guard token.kind == .parenthesis else {
                throw .invalidParameter("Expected a quoted string value for dataset attributes. Got value \(token.text)")
            }
            return .list(try Self.list(token.text))
        }
    }

    /// `_get_value` of `SearchModelUtils` and `SearchModelVersionUtils`.
    private func registryValue(_ entity: SearchEntity, _ key: String, _ token: FilterNode, isString: Bool, isNumber: Bool)
        throws(TrackingError) -> SearchValue
    {
        if entity == .tag {
            guard isString else {
                throw .invalidParameter("Expected a quoted string value for tag (e.g. 'my-value'). Got value \(token.text)")
            }
            return .string(try Self.quotedValue(token.text))
        }
        if isString { return .string(try Self.quotedValue(token.text)) }
        if token.kind == .parenthesis {
            guard grammar.listKeys.contains(key) else {
                throw .invalidParameter(
                    "Only \(SearchGrammar.pythonList(grammar.listKeys)) attributes support comparison with a list of quoted string values.")
            }
            return .list(try Self.list(token.text))
        }
        if isNumber, grammar.kind == .modelVersions {
            guard grammar.numericAttributes.contains(key) else {
                throw .invalidParameter(
                    "Only the '\(SearchGrammar.pythonSet(grammar.orderByAttributes.filter(grammar.numericAttributes.contains)))' attributes support comparison with numeric values.")
            }
            if token.type == .integer, let value = Int64(Self.asciiDigits(token.text)) { return .int(value) }
            return .double(Self.pythonFloat(token.text))
        }
        throw .invalidParameter(
            "Expected a quoted string value or a list of quoted string values for attributes. Got value \(token.text)")
    }

    // MARK: value helpers

    /// MLflow's `_parse_list_from_sql_token`: the parenthesis text read as a Python literal, which
    /// must be a non-empty tuple of strings.
    package static func list(_ text: String) throws(TrackingError) -> [String] {
        let parsed: PythonLiteral
        do {
            parsed = try PythonLiteral.parse(text)
        } catch {
            // MLflow answers a non-literal (`IN (a)`) with a 500 from Python's ValueError; a 400 is
            // what the user needs, and the client would retry a 500.
            throw .invalidParameter(
                "While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.")
        }
        let items: [PythonLiteral]
        if case .tuple(let elements) = parsed { items = elements } else { items = [parsed] }
        guard !items.isEmpty else {
            throw .invalidParameter(
                "While parsing a list in the query, expected a non-empty list of string values, but got empty list")
        }
        var strings: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw .invalidParameter(
                    "While parsing a list in the query, expected string value, punctuation, or whitespace, but got different type in list: \(PythonLiteral.tuple(items).repr)")
            }
            strings.append(s)
        }
        return strings
    }

    /// A value in single or double quotes, without them (no unescaping, as in MLflow).
    static func quotedValue(_ text: String) throws(TrackingError) -> String {
        guard isQuoted(text, "'") || isQuoted(text, "\"") else {
            throw .invalidParameter(
                "Parameter value is either not quoted or unidentified quote types used for string value \(text). Use either single or double quotes.")
        }
        return trimEnds(text)
    }

    static func stripQuotes(_ text: String) -> String {
        isQuoted(text, "'") || isQuoted(text, "\"") ? trimEnds(text) : text
    }

    static func trimBackticks(_ text: String) -> String { isQuoted(text, "`") ? trimEnds(text) : text }

    private static func isQuoted(_ text: String, _ quote: Unicode.Scalar) -> Bool {
        let scalars = text.unicodeScalars
        return scalars.count >= 2 && scalars.first == quote && scalars.last == quote
    }

    private static func trimEnds(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.dropFirst().dropLast()))
    }

    /// Digits of any script as ASCII (Python's `int()` and `float()` accept them).
    static func asciiDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { c in
            if !c.isASCII, Chars.isDigit(c), let value = c.properties.numericValue {
                return Unicode.Scalar(UInt8(0x30 + Int(value)))
            }
            return c
        }))
    }

    /// Python's `float()` of a number token (`1.`, `.5`, `-1.5e3`, `1E5`).
    static func pythonFloat(_ text: String) -> Double {
        var plain = asciiDigits(text)
        if plain.hasSuffix(".") { plain += "0" }
        if plain.hasPrefix(".") { plain = "0" + plain } else if plain.hasPrefix("-.") { plain = "-0" + plain.dropFirst() }
        return Double(plain) ?? .nan
    }
}
