/// MLflow's order-by parsing (`_parse_order_by_string` and `_get_identifier`): one entry such as
/// `metrics.loss DESC` or ``tags.`a b` `` becomes an entity, a key and a direction.
package struct SearchOrderByParser: Sendable {
    let grammar: SearchGrammar

    package init(_ grammar: SearchGrammar) { self.grammar = grammar }

    package func parse(_ entry: String) throws(TrackingError) -> SearchOrder {
        let (tokenValue, ascending) = try parseKey(entry)
        let parser = SearchFilterParser(grammar)
        let (entity, key) = try parser.identifier(
            tokenValue.trimmingPythonWhitespace, validAttributes: grammar.orderByAttributes)
        return SearchOrder(entity, key, ascending: ascending)
    }

    /// MLflow's `_parse_order_by_string`: the key as written (not yet an identifier) and the direction.
    package func parseKey(_ entry: String) throws(TrackingError) -> (key: String, ascending: Bool) {
        let couldNotParse = TrackingError.invalidParameter("Invalid order_by clause '\(entry)'. Could not be parsed.")
        let statements: [[FilterNode]]
        do {
            statements = try FilterStatement.parse(entry)
        } catch {
            throw .invalidParameter("Error on parsing order_by clause '\(entry)'")
        }
        guard statements.count == 1, let tokens = statements.first else { throw couldNotParse }
        var tokenValue: String
        if tokens.count == 1, tokens[0].kind == .identifier {
            tokenValue = tokens[0].text
        } else if tokens[0].type == .builtin, tokens[0].text == "timestamp",
            tokens.count == 1
                || (tokens.dropFirst().dropLast().allSatisfy(\.isWhitespace) && tokens.last?.type == .keywordOrder)
        {
            // What MLflow keeps for the registry's `timestamp` key; for runs and experiments it ends as an
            // invalid attribute key, as there.
            tokenValue = tokens.count == 1 ? "timestamp" : "timestamp " + tokens[tokens.count - 1].text
        } else {
            throw couldNotParse
        }
        var ascending = true
        let words: [String]
        do {
            words = try Self.shellSplit(tokenValue.replacing("`", with: "\""))
        } catch {
            throw .invalidParameter("Invalid order_by clause '\(entry)'. \(error.message)")
        }
        if words.count > 2 { throw couldNotParse }
        if words.count == 2 {
            let direction = words[1].lowercased()
            guard direction == "asc" || direction == "desc" else {
                throw .invalidParameter("Invalid ordering key in order_by clause '\(entry)'.")
            }
            ascending = direction == "asc"
            tokenValue = words[0]
        }
        return (tokenValue, ascending)
    }

    struct ShellError: Error { let message: String }

    /// Python's `shlex.split` (POSIX mode): words separated by whitespace, quotes removed and
    /// joined with what touches them, backslash escapes outside single quotes.
    static func shellSplit(_ text: String) throws(ShellError) -> [String] {
        var words: [String] = []
        var word = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        var iterator = text.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            if let q = quote {
                if c == q {
                    quote = nil
                } else if q == "\"", c == "\\" {
                    guard let next = iterator.next() else { throw ShellError(message: "No escaped character") }
                    if next != "\"" && next != "\\" { word.append(c) }
                    word.append(next)
                } else {
                    word.append(c)
                }
                continue
            }
            switch c {
            case " ", "\t", "\r", "\n":
                if inWord { words.append(String(word)) }
                word = String.UnicodeScalarView()
                inWord = false
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                guard let next = iterator.next() else { throw ShellError(message: "No escaped character") }
                word.append(next)
                inWord = true
            default:
                word.append(c)
                inWord = true
            }
        }
        if quote != nil { throw ShellError(message: "No closing quotation") }
        if inWord { words.append(String(word)) }
        return words
    }
}

extension String {
    /// Python's `str.strip()`: whitespace removed from both ends.
    var trimmingPythonWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !Chars.isSpace($0) }),
            let end = scalars.lastIndex(where: { !Chars.isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}
