/// One node of a grouped statement: a token, or a group of nodes as sqlparse builds them
/// (`metrics.loss` is an identifier, `metrics.loss < 1` a comparison).
struct FilterNode: Equatable, Sendable {
    enum Kind: Hashable, Sendable {
        case token(FilterTokenType)
        case identifier, comparison, operation, parenthesis, squareBrackets, function, identifierList
        case typedLiteral, assignment, comment, tokenList
    }

    var kind: Kind
    /// The exact source text (for a group, its members' texts joined).
    var text: String
    var children: [FilterNode]

    init(_ token: FilterToken) {
        kind = .token(token.type)
        text = token.text
        children = []
    }

    init(_ kind: Kind, _ children: [FilterNode]) {
        self.kind = kind
        self.children = children
        text = children.map(\.text).joined()
    }

    /// The token type, or nil for a group (sqlparse's `ttype`).
    var type: FilterTokenType? {
        if case .token(let type) = kind { return type }
        return nil
    }

    var isGroup: Bool { type == nil }
    var isWhitespace: Bool { type?.isWhitespace ?? false }
    var isKeyword: Bool { type?.isKeyword ?? false }
    /// sqlparse's `normalized`: keywords upper-cased, everything else as written.
    var normalized: String { isKeyword ? text.uppercased() : text }

    /// An exact-type keyword with one of the given (upper-case) values: sqlparse's `match(T.Keyword, values)`.
    func isKeyword(_ values: String...) -> Bool { type == .keyword && values.contains(text.uppercased()) }
}

/// A filter split into statements (on `;`) and grouped, as `sqlparse.parse` returns it.
enum FilterStatement {
    /// sqlparse refuses token lists longer than this, and nesting deeper than 100 (a guard against
    /// denial of service that MLflow reports as a parse error).
    static let maxTokens = 10_000
    static let maxDepth = 100

    struct TooComplex: Error {}

    /// The grouped top-level nodes of each statement.
    static func parse(_ text: String) throws(TooComplex) -> [[FilterNode]] {
        try split(FilterLexer.tokens(text)).map { tokens throws(TooComplex) in
            guard tokens.count <= maxTokens else { throw TooComplex() }
            return try FilterGrouping.group(tokens.map(FilterNode.init))
        }
    }

    /// sqlparse's StatementSplitter: a statement ends after a `;` outside parentheses and the
    /// spaces or comments that follow it on the same line; a statement of only whitespace is dropped.
    static func split(_ tokens: [FilterToken]) -> [[FilterToken]] {
        var statements: [[FilterToken]] = []
        var current: [FilterToken] = []
        var level = 0
        var ended = false
        for token in tokens {
            if ended, token.type != .whitespace, token.type != .comment {
                statements.append(current)
                current = []
                level = 0
                ended = false
            }
            switch (token.type, token.text) {
            case (.punctuation, "("): level += 1
            case (.punctuation, ")"): level -= 1
            case (.keyword, let word) where ["END", "END IF", "END FOR", "END WHILE"].contains(Self.squeezed(word)):
                level -= 1
            default: break
            }
            current.append(token)
            if level <= 0, token.type == .punctuation, token.text == ";" { ended = true }
        }
        if !current.allSatisfy(\.type.isWhitespace) { statements.append(current) }
        return statements
    }

    private static func squeezed(_ word: String) -> String {
        word.uppercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
