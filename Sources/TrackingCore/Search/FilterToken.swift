/// The token types of sqlparse that MLflow's filter grammar distinguishes. Where sqlparse has a
/// hierarchy (`Keyword.DML` is a `Keyword`), the `is…` properties answer the subtype question and
/// `==` the exact one, because sqlparse's grouping asks both kinds of question.
enum FilterTokenType: Hashable, Sendable {
    case whitespace, newline, comment, multilineComment
    /// A dollar-quoted literal (`$$...$$`).
    case literal
    case name, builtin, placeholder
    case keyword, keywordDML, keywordDDL, keywordCTE, keywordOrder, keywordTZCast
    case hexadecimal, float, integer
    case stringSingle, stringSymbol
    case punctuation, comparison, `operator`, wildcard, assignment, command, error

    var isWhitespace: Bool { self == .whitespace || self == .newline }
    var isComment: Bool { self == .comment || self == .multilineComment }
    var isKeyword: Bool {
        switch self {
        case .keyword, .keywordDML, .keywordDDL, .keywordCTE, .keywordOrder, .keywordTZCast: true
        default: false
        }
    }
    /// `T.Name` and its subtypes.
    var isNameFamily: Bool { self == .name || self == .builtin || self == .placeholder }
    /// `T.Number` and its subtypes.
    var isNumberFamily: Bool { self == .hexadecimal || self == .float || self == .integer }
    /// sqlparse's `T_NUMERICAL + T_STRING + T_NAME`, matched exactly (a tuple of types).
    var isOperandType: Bool {
        switch self {
        case .integer, .float, .stringSingle, .stringSymbol, .name, .placeholder: true
        default: false
        }
    }
}

/// One lexeme: its type and its exact source text.
struct FilterToken: Equatable, Sendable {
    var type: FilterTokenType
    var text: String
}
