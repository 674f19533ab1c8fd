/// Splits a filter or order-by string into tokens exactly as sqlparse 0.6.1's lexer does (its
/// `SQL_REGEX` table, case-insensitive, first matching rule wins at each position), so every later
/// decision, and every error message that quotes a token, comes out as MLflow's.
///
/// Hand-written, one function per rule, no regular expressions: the rules that matter for filters
/// are ported with their backtracking behaviour; SQL-only rules (CASE, CREATE, ...) only as far as
/// they change how a word is classified.
struct FilterLexer {
    private let s: [Unicode.Scalar]
    private var i = 0

    private init(_ text: String) { s = Array(text.unicodeScalars) }

    static func tokens(_ text: String) -> [FilterToken] {
        var lexer = FilterLexer(text)
        var result: [FilterToken] = []
        while lexer.i < lexer.s.count {
            let start = lexer.i
            let (type, length) = lexer.next()
            lexer.i = start + length
            result.append(FilterToken(type: type, text: lexer.text(start, start + length)))
        }
        return result
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[from..<to])
        return String(out)
    }

    private func at(_ k: Int) -> Unicode.Scalar? { k < s.count && k >= 0 ? s[k] : nil }
    private func at(_ k: Int, is c: Unicode.Scalar) -> Bool { at(k) == c }

    // MARK: the rules, in sqlparse's order

    private func next() -> (FilterTokenType, Int) {
        // Before the table, sqlparse pairs `/* ... */` comments and `$tag$ ... $tag$` literals.
        if literal("/*"), let end = find("*/", from: i + 2) { return (.multilineComment, end + 2 - i) }
        if let n = dollarQuoted() { return (.literal, n) }
        if let n = comment() { return (.comment, n) }
        if let n = newline() { return (.newline, n) }
        if Chars.isSpace(s[i]) { return (.whitespace, 1) }
        if literal(":=") { return (.assignment, 2) }
        if literal("::") { return (.punctuation, 2) }
        if s[i] == "*" { return (.wildcard, 1) }
        if s[i] == "`", let end = quoted(quote: "`", backslashEscapes: false) { return (.name, end - i) }
        if s[i] == "´", let end = quoted(quote: "´", backslashEscapes: false) { return (.name, end - i) }
        if s[i] == "?" { return (.placeholder, 1) }
        if let n = percentPlaceholder() { return (.placeholder, n) }
        if let n = prefixedPlaceholder() { return (.placeholder, n) }
        if s[i] == "\\", let n = wordRun(from: i + 1), n > 0 { return (.command, 1 + n) }
        for word in ["CASE", "IN", "VALUES", "USING", "FROM", "AS"] {
            if let n = keyword(word) { return (.keyword, n) }
        }
        if let n = hashName() { return (.name, n) }
        if let n = nameBeforeDot() { return (.name, n) }
        if i > 0, s[i - 1] == ".", Chars.isLetter(s[i]) { return (.name, 1 + wordRun(from: i + 1)!) }
        if Chars.isLetter(s[i]) {
            let n = 1 + wordRun(from: i + 1)!
            if at(i + n, is: "(") { return (.name, n) }
        }
        if let n = hexadecimal() { return (.hexadecimal, n) }
        if let n = exponentFloat() { return (.float, n) }
        if let n = decimalFloat() { return (.float, n) }
        if let n = integer() { return (.integer, n) }
        if s[i] == "'", let end = quoted(quote: "'", backslashEscapes: true) { return (.stringSingle, end - i) }
        if s[i] == "\"", let end = quoted(quote: "\"", backslashEscapes: true) { return (.stringSymbol, end - i) }
        if let n = bracketName() { return (.name, n) }
        if let n = phraseKeyword() { return n }
        if Chars.isWord(s[i]) {
            var n = 1
            while let c = at(i + n), Chars.isWord(c) || c == "$" || c == "#" { n += 1 }
            return (Self.classify(text(i, i + n)), n)
        }
        if "();:[],.".unicodeScalars.contains(s[i]) { return (.punctuation, 1) }
        if let n = jsonOperator() { return (.operator, n) }
        if let n = run(of: "<>=~!") { return (.comparison, n) }
        if let n = run(of: "+/@#%^&|-") { return (.operator, n) }
        return (.error, 1)
    }

    /// `$tag$ ... $tag$` with the same tag (empty or a word); not after a word character, `"` or `$`.
    private func dollarQuoted() -> Int? {
        guard s[i] == "$" else { return nil }
        if i > 0, Chars.isWord(s[i - 1]) || s[i - 1] == "\"" || s[i - 1] == "$" { return nil }
        var k = i + 1
        if let c = at(k), c == "_" || Chars.isLetter(c) { k += 1 + wordRun(from: k + 1)! }
        guard at(k, is: "$") else { return nil }
        let tag = text(i, k + 1)
        guard let end = find(tag, from: k + 1) else { return nil }
        return end + tag.unicodeScalars.count - i
    }

    /// The position of the next occurrence of `needle` at or after `from`.
    private func find(_ needle: String, from: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        var k = from
        while k + n.count <= s.count {
            if s[k] == n[0], Array(s[k..<(k + n.count)]) == n { return k }
            k += 1
        }
        return nil
    }

    /// `(--|# )\+?.*?(\r\n|\r|\n|$)`
    private func comment() -> Int? {
        guard literal("--") || literal("# ") else { return nil }
        var k = i + 2
        while k < s.count {
            if s[k] == "\r" { return k + (at(k + 1, is: "\n") ? 2 : 1) - i }
            if s[k] == "\n" { return k + 1 - i }
            k += 1
        }
        return k - i
    }

    private func newline() -> Int? {
        if s[i] == "\r" { return at(i + 1, is: "\n") ? 2 : 1 }
        return s[i] == "\n" ? 1 : nil
    }

    /// `%(\(\w+\))?s`
    private func percentPlaceholder() -> Int? {
        guard s[i] == "%" else { return nil }
        if at(i + 1, is: "("), let n = wordRun(from: i + 2), n > 0, at(i + 2 + n, is: ")"),
            let c = at(i + 3 + n), c == "s" || c == "S"
        {
            return n + 4
        }
        if let c = at(i + 1), c == "s" || c == "S" { return 2 }
        return nil
    }

    /// `(?<!\w)[$:?]\w+`
    private func prefixedPlaceholder() -> Int? {
        guard "$:?".unicodeScalars.contains(s[i]), i == 0 || !Chars.isWord(s[i - 1]) else { return nil }
        let n = wordRun(from: i + 1)!
        return n > 0 ? n + 1 : nil
    }

    /// `(@|##|#)[A-ZÀ-Ü]\w+`
    private func hashName() -> Int? {
        var starts: [Int] = []
        if s[i] == "@" { starts.append(i + 1) }
        if s[i] == "#" {
            if at(i + 1, is: "#") { starts.append(i + 2) }
            starts.append(i + 1)
        }
        for k in starts {
            guard let c = at(k), Chars.isLetter(c) else { continue }
            let n = wordRun(from: k + 1)!
            if n > 0 { return k + 1 + n - i }
        }
        return nil
    }

    /// `[A-ZÀ-Ü]\w*(?=\s*\.(?!\d))`: a word that a dot follows (`metrics` in `metrics.loss`).
    private func nameBeforeDot() -> Int? {
        guard Chars.isLetter(s[i]) else { return nil }
        let n = 1 + wordRun(from: i + 1)!
        var k = i + n
        while let c = at(k), Chars.isSpace(c) { k += 1 }
        guard at(k, is: ".") else { return nil }
        if let c = at(k + 1), Chars.isDigit(c) { return nil }
        return n
    }

    /// `-?0x[\dA-F]+`
    private func hexadecimal() -> Int? {
        var k = i
        if s[k] == "-" { k += 1 }
        guard at(k, is: "0"), let x = at(k + 1), x == "x" || x == "X" else { return nil }
        var n = 0
        while let c = at(k + 2 + n), Chars.isDigit(c) || "abcdefABCDEF".unicodeScalars.contains(c) { n += 1 }
        return n > 0 ? k + 2 + n - i : nil
    }

    /// `-?\d+(\.\d+)?E-?\d+`
    private func exponentFloat() -> Int? {
        var k = i
        if s[k] == "-" { k += 1 }
        let whole = digitRun(from: k)
        guard whole > 0 else { return nil }
        k += whole
        var candidates: [Int] = []
        if at(k, is: "."), digitRun(from: k + 1) > 0 { candidates.append(k + 1 + digitRun(from: k + 1)) }
        candidates.append(k)
        for e in candidates {
            guard let c = at(e), c == "e" || c == "E" else { continue }
            var m = e + 1
            if at(m, is: "-") { m += 1 }
            let exponent = digitRun(from: m)
            if exponent > 0 { return m + exponent - i }
        }
        return nil
    }

    /// `-?(\d+(\.\d*)|\.\d+)` not followed by a letter or `_` (backing off one digit when it is).
    private func decimalFloat() -> Int? {
        var k = i
        if s[k] == "-" { k += 1 }
        let whole = digitRun(from: k)
        if whole > 0 {
            guard at(k + whole, is: ".") else { return nil }
            let dot = k + whole
            let fraction = digitRun(from: dot + 1)
            if !Chars.isLetterOrUnderscore(at(dot + 1 + fraction)) { return dot + 1 + fraction - i }
            return fraction > 0 ? dot + fraction - i : nil
        }
        guard at(k, is: ".") else { return nil }
        let fraction = digitRun(from: k + 1)
        guard fraction > 0 else { return nil }
        if !Chars.isLetterOrUnderscore(at(k + 1 + fraction)) { return k + 1 + fraction - i }
        return fraction > 1 ? k + fraction - i : nil
    }

    /// `-?\d+` not followed by a letter or `_` (backing off one digit when it is).
    private func integer() -> Int? {
        var k = i
        if s[k] == "-" { k += 1 }
        let digits = digitRun(from: k)
        guard digits > 0 else { return nil }
        if !Chars.isLetterOrUnderscore(at(k + digits)) { return k + digits - i }
        return digits > 1 ? k + digits - 1 - i : nil
    }

    /// `(?<![\w\])])(\[[^\]\[]+\])`
    private func bracketName() -> Int? {
        guard s[i] == "[" else { return nil }
        if i > 0, Chars.isWord(s[i - 1]) || s[i - 1] == "]" || s[i - 1] == ")" { return nil }
        var k = i + 1
        while let c = at(k), c != "]", c != "[" { k += 1 }
        return k > i + 1 && at(k, is: "]") ? k + 1 - i : nil
    }

    /// The multi-word rules between the string rules and the plain-word rule: JOINs, END, IF EXISTS,
    /// NOT NULL, ASC/DESC [NULLS FIRST|LAST], ..., and the LIKE/REGEXP comparators.
    private func phraseKeyword() -> (FilterTokenType, Int)? {
        guard Chars.isLetter(s[i]) else { return nil }
        if let n = join() { return (.keyword, n) }
        if let n = words(["END", "IF"]) ?? words(["END", "LOOP"]) ?? words(["END", "WHILE"])
            ?? words(["END", "FOR"]) ?? words(["END", "CASE"]) ?? keyword("END")
        {
            return (.keyword, n)
        }
        if let n = words(["IF", "NOT", "EXISTS"]) ?? words(["IF", "EXISTS"]) { return (.keyword, n) }
        if let n = words(["NOT", "NULL"]) { return (.keyword, n) }
        for direction in ["ASC", "DESC"] {
            if let n = words([direction, "NULLS", "FIRST"]) ?? words([direction, "NULLS", "LAST"]) ?? keyword(direction) {
                return (.keywordOrder, n)
            }
        }
        if let n = words(["NULLS", "FIRST"]) ?? words(["NULLS", "LAST"]) { return (.keywordOrder, n) }
        if let n = words(["UNION", "ALL"]) { return (.keyword, n) }
        if let n = words(["CREATE", "OR", "REPLACE"]) ?? keyword("CREATE") { return (.keywordDDL, n) }
        if let n = words(["DOUBLE", "PRECISION"]) { return (.builtin, n) }
        for phrase in [["GROUP", "BY"], ["ORDER", "BY"], ["PRIMARY", "KEY"], ["HANDLER", "FOR"]] {
            if let n = words(phrase) { return (.keyword, n) }
        }
        if let n = goNumber() { return (.keyword, n) }
        for view in ["EXPLODE", "INLINE", "PARSE_URL_TUPLE", "POSEXPLODE", "STACK"] {
            if let n = words(["LATERAL", "VIEW", view]) { return (.keyword, n) }
        }
        if let n = timeZoneCast() { return (.keywordTZCast, n) }
        for op in ["LIKE", "ILIKE", "RLIKE"] {
            if let n = words(["NOT", op]) ?? keyword(op) { return (.comparison, n) }
        }
        for phrase in [["NOT", "REGEXP", "BINARY"], ["NOT", "REGEXP"], ["REGEXP", "BINARY"], ["REGEXP"]] {
            if let n = words(phrase) { return (.comparison, n) }
        }
        return nil
    }

    /// `((LEFT\s+|RIGHT\s+|FULL\s+)?(INNER\s+|OUTER\s+|STRAIGHT\s+)?|(CROSS\s+|NATURAL\s+)?)?JOIN\b`
    private func join() -> Int? {
        let sides: [String?] = ["LEFT", "RIGHT", "FULL", nil]
        let kinds: [String?] = ["INNER", "OUTER", "STRAIGHT", nil]
        for side in sides {
            for kind in kinds {
                if let n = words([side, kind, "JOIN"].compactMap { $0 }) { return n }
            }
        }
        for cross in ["CROSS", "NATURAL"] {
            if let n = words([cross, "JOIN"]) { return n }
        }
        return nil
    }

    /// `GO(\s\d+)\b`
    private func goNumber() -> Int? {
        guard matchesWord("GO", at: i), let c = at(i + 2), Chars.isSpace(c) else { return nil }
        let digits = digitRun(from: i + 3)
        guard digits > 0, boundary(at: i + 3 + digits) else { return nil }
        return 3 + digits
    }

    /// `(AT|WITH')\s+TIME\s+ZONE\s+'[^']+'`
    private func timeZoneCast() -> Int? {
        var k = i
        if matchesWord("AT", at: k) { k += 2 } else if matchesWord("WITH'", at: k) { k += 5 } else { return nil }
        for word in ["TIME", "ZONE"] {
            let gap = spaceRun(from: k)
            guard gap > 0, matchesWord(word, at: k + gap) else { return nil }
            k += gap + word.unicodeScalars.count
        }
        let gap = spaceRun(from: k)
        guard gap > 0, at(k + gap, is: "'") else { return nil }
        var m = k + gap + 1
        while let c = at(m), c != "'" { m += 1 }
        return m > k + gap + 1 && at(m, is: "'") ? m + 1 - i : nil
    }

    /// `(\->>?|#>>?|@>|<@|\?\|?|\?&|\-|#\-)`
    private func jsonOperator() -> Int? {
        if literal("->>") || literal("#>>") { return 3 }
        if literal("->") || literal("#>") || literal("@>") || literal("<@") || literal("#-") { return 2 }
        return s[i] == "-" ? 1 : nil
    }

    // MARK: helpers

    /// A regex-style quoted token `Q(QQ|\\Q|[^Q])*Q`, found as the regex engine finds it: the
    /// first success of a depth-first search that prefers, at each character, a doubled quote,
    /// then (if allowed) a backslash-escaped quote, then any other character, then the end.
    private func quoted(quote: Unicode.Scalar, backslashEscapes: Bool) -> Int? {
        var failed = Set<Int>()
        var stack: [(position: Int, tried: Int)] = [(i + 1, 0)]
        while !stack.isEmpty {
            let (k, tried) = stack[stack.count - 1]
            var nextPosition: Int?
            var alternative = tried
            while nextPosition == nil, alternative < 3 {
                defer { alternative += 1 }
                switch alternative {
                case 0 where at(k, is: quote) && at(k + 1, is: quote): nextPosition = k + 2
                case 1 where backslashEscapes && at(k, is: "\\") && at(k + 1, is: quote): nextPosition = k + 2
                case 2 where k < s.count && s[k] != quote: nextPosition = k + 1
                default: break
                }
                if let p = nextPosition, failed.contains(p) { nextPosition = nil }
            }
            stack[stack.count - 1].tried = alternative
            if let p = nextPosition {
                stack.append((p, 0))
                continue
            }
            if at(k, is: quote) { return k + 1 }
            failed.insert(k)
            stack.removeLast()
        }
        return nil
    }

    private func literal(_ text: String) -> Bool {
        var k = i
        for c in text.unicodeScalars {
            guard at(k, is: c) else { return false }
            k += 1
        }
        return true
    }

    /// A keyword followed by a word boundary (`IN\b`): its length, or nil.
    private func keyword(_ word: String) -> Int? {
        matchesWord(word, at: i) && boundary(at: i + word.unicodeScalars.count) ? word.unicodeScalars.count : nil
    }

    /// Words separated by whitespace (`NOT\s+NULL\b`), case-insensitively: the length, or nil.
    private func words(_ phrase: [String]) -> Int? {
        var k = i
        for (n, word) in phrase.enumerated() {
            if n > 0 {
                let gap = spaceRun(from: k)
                guard gap > 0 else { return nil }
                k += gap
            }
            guard matchesWord(word, at: k) else { return nil }
            k += word.unicodeScalars.count
        }
        return boundary(at: k) ? k - i : nil
    }

    private func matchesWord(_ word: String, at k: Int) -> Bool {
        var m = k
        for c in word.unicodeScalars {
            guard let d = at(m), Chars.upper(d) == c else { return false }
            m += 1
        }
        return true
    }

    /// `\b` between position k-1 and k.
    private func boundary(at k: Int) -> Bool {
        let before = at(k - 1).map(Chars.isWord) ?? false
        let after = at(k).map(Chars.isWord) ?? false
        return before != after
    }

    /// The number of word characters from k (0 if none); never nil, optional for chaining.
    private func wordRun(from k: Int) -> Int? {
        var n = 0
        while let c = at(k + n), Chars.isWord(c) { n += 1 }
        return n
    }

    private func digitRun(from k: Int) -> Int {
        var n = 0
        while let c = at(k + n), Chars.isDigit(c) { n += 1 }
        return n
    }

    private func spaceRun(from k: Int) -> Int {
        var n = 0
        while let c = at(k + n), Chars.isSpace(c) { n += 1 }
        return n
    }

    private func run(of set: String) -> Int? {
        var n = 0
        while let c = at(i + n), set.unicodeScalars.contains(c) { n += 1 }
        return n > 0 ? n : nil
    }

    /// A plain word is a keyword, an operator (`DIV`) or a name, by sqlparse's tables.
    private static func classify(_ word: String) -> FilterTokenType {
        let upper = word.uppercased()
        if SQLKeywords.dml.contains(upper) { return .keywordDML }
        if SQLKeywords.ddl.contains(upper) { return .keywordDDL }
        if SQLKeywords.cte.contains(upper) { return .keywordCTE }
        if SQLKeywords.operators.contains(upper) { return .operator }
        if SQLKeywords.all.contains(upper) { return .keyword }
        if SQLKeywords.builtins.contains(upper) { return .builtin }
        return .name
    }
}

/// Python's `re` character classes (Unicode mode) as sqlparse's patterns use them.
enum Chars {
    /// `\w`: letters, digits and numerics of any script, and `_`.
    static func isWord(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return c.properties.numericType != nil
        }
    }

    /// `\d`: a decimal digit of any script.
    static func isDigit(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (c >= "0" && c <= "9") : c.properties.generalCategory == .decimalNumber
    }

    /// `\s`: what Python's `str.isspace` accepts.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        if c.isASCII { return c == " " || (c.value >= 0x09 && c.value <= 0x0D) || (c.value >= 0x1C && c.value <= 0x1F) }
        return c.properties.isWhitespace || c.value == 0x85
    }

    /// `[A-ZÀ-Ü]` under IGNORECASE.
    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0xDC: true
        case 0xE0...0xFC: c.value != 0xF7
        default: false
        }
    }

    static func isLetterOrUnderscore(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c == "_" || isLetter(c)
    }

    /// ASCII upper-casing, enough to compare with the upper-case keywords of the rules.
    static func upper(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.value >= 0x61 && c.value <= 0x7A ? Unicode.Scalar(c.value - 0x20)! : c
    }
}
