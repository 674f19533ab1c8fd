/// The subset of Python's `ast.literal_eval` that MLflow applies to the list in `run_id IN (...)`:
/// strings (both quote styles, prefixes, escapes, adjacent strings joined), numbers, `True`,
/// `False`, `None`, tuples, lists, sets and dicts; enough to accept exactly the lists MLflow
/// accepts and to print what it prints when a list holds something other than strings.
enum PythonLiteral: Equatable {
    case string(String)
    case bytes(String)
    /// A number, already in Python's `repr` form.
    case number(String)
    case constant(String)
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case set([PythonLiteral])
    case dict([(PythonLiteral, PythonLiteral)])

    /// Python's SyntaxError: the text is not an expression.
    struct SyntaxError: Error {}
    /// Python's ValueError: an expression, but not a literal (a name, a call, ...).
    struct NotALiteral: Error {}

    static func == (a: PythonLiteral, b: PythonLiteral) -> Bool { a.repr == b.repr }

    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = Parser(Array(text.unicodeScalars))
        parser.skipSpace(newlines: false)
        let value = try parser.expression(allowTuple: true)
        parser.skipSpace(newlines: false)
        guard parser.atEnd else { throw SyntaxError() }
        return value
    }

    /// Python's `repr`.
    var repr: String {
        switch self {
        case .string(let s): PythonRepr.string(s)
        case .bytes(let s): "b" + PythonRepr.string(s)
        case .number(let s), .constant(let s): s
        case .tuple(let items): items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
        case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
        case .set(let items): items.isEmpty ? "set()" : "{" + items.map(\.repr).joined(separator: ", ") + "}"
        case .dict(let pairs): "{" + pairs.map { "\($0.0.repr): \($0.1.repr)" }.joined(separator: ", ") + "}"
        }
    }

    private struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        var depth = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { i >= s.count }
        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

        mutating func skipSpace(newlines: Bool) {
            while let c = peek() {
                if c == " " || c == "\t" || c == "\u{0C}" || (newlines && (c == "\n" || c == "\r")) {
                    i += 1
                } else if c == "\\", peek(1) == "\n" {
                    i += 2
                } else if newlines, c == "#" {
                    while let d = peek(), d != "\n" { i += 1 }
                } else {
                    break
                }
            }
        }

        /// One expression; inside brackets newlines are spaces (`newlines` tracks that).
        mutating func expression(allowTuple: Bool, inBrackets: Bool = false) throws -> PythonLiteral {
            let first = try unary(inBrackets: inBrackets)
            guard allowTuple else { return first }
            skipSpace(newlines: inBrackets)
            guard peek() == "," else { return first }
            var items = [first]
            while peek() == "," {
                i += 1
                skipSpace(newlines: inBrackets)
                guard let c = peek(), !")]}".unicodeScalars.contains(c) else { break }
                items.append(try unary(inBrackets: inBrackets))
                skipSpace(newlines: inBrackets)
            }
            return .tuple(items)
        }

        mutating func unary(inBrackets: Bool) throws -> PythonLiteral {
            skipSpace(newlines: inBrackets)
            if let c = peek(), c == "-" || c == "+" {
                i += 1
                let operand = try unary(inBrackets: inBrackets)
                guard case .number(let text) = operand else { throw NotALiteral() }
                if c == "+" { return operand }
                return .number(text.hasPrefix("-") ? String(text.dropFirst()) : "-" + text)
            }
            return try atom(inBrackets: inBrackets)
        }

        mutating func atom(inBrackets: Bool) throws -> PythonLiteral {
            guard let c = peek() else { throw SyntaxError() }
            depth += 1
            defer { depth -= 1 }
            guard depth < 200 else { throw SyntaxError() }
            switch c {
            case "(":
                i += 1
                skipSpace(newlines: true)
                if peek() == ")" {
                    i += 1
                    return .tuple([])
                }
                let value = try expression(allowTuple: true, inBrackets: true)
                skipSpace(newlines: true)
                guard peek() == ")" else { throw SyntaxError() }
                i += 1
                return value
            case "[":
                return .list(try sequence(close: "]"))
            case "{":
                return try braces()
            case "'", "\"":
                return try strings(inBrackets: inBrackets)
            default:
                if Chars.isDigit(c) || (c == "." && peek(1).map(Chars.isDigit) == true) { return try number() }
                if Chars.isWord(c) {
                    var word = ""
                    while let d = peek(), Chars.isWord(d) {
                        word.unicodeScalars.append(d)
                        i += 1
                    }
                    if let quote = peek(), quote == "'" || quote == "\"", ["r", "u", "b", "br", "rb", "f", "rf", "fr"]
                        .contains(word.lowercased())
                    {
                        i -= word.unicodeScalars.count
                        return try strings(inBrackets: inBrackets)
                    }
                    if ["True", "False", "None"].contains(word) { return .constant(word) }
                    throw NotALiteral()
                }
                throw SyntaxError()
            }
        }

        mutating func sequence(close: Unicode.Scalar) throws -> [PythonLiteral] {
            i += 1
            var items: [PythonLiteral] = []
            skipSpace(newlines: true)
            while peek() != close {
                items.append(try expression(allowTuple: false, inBrackets: true))
                skipSpace(newlines: true)
                if peek() == "," {
                    i += 1
                    skipSpace(newlines: true)
                } else if peek() != close {
                    throw SyntaxError()
                }
            }
            i += 1
            return items
        }

        mutating func braces() throws -> PythonLiteral {
            i += 1
            skipSpace(newlines: true)
            if peek() == "}" {
                i += 1
                return .dict([])
            }
            var keys: [PythonLiteral] = []
            var pairs: [(PythonLiteral, PythonLiteral)] = []
            var isDict: Bool?
            while true {
                let key = try expression(allowTuple: false, inBrackets: true)
                skipSpace(newlines: true)
                if peek() == ":" {
                    guard isDict != false else { throw SyntaxError() }
                    isDict = true
                    i += 1
                    pairs.append((key, try expression(allowTuple: false, inBrackets: true)))
                    skipSpace(newlines: true)
                } else {
                    guard isDict != true else { throw SyntaxError() }
                    isDict = false
                    keys.append(key)
                }
                if peek() == "," {
                    i += 1
                    skipSpace(newlines: true)
                    if peek() == "}" { break }
                } else if peek() == "}" {
                    break
                } else {
                    throw SyntaxError()
                }
            }
            i += 1
            return isDict == true ? .dict(pairs) : .set(keys)
        }

        /// Adjacent string literals, joined; mixing bytes and text is a SyntaxError, f-strings are not literals.
        mutating func strings(inBrackets: Bool) throws -> PythonLiteral {
            var text = ""
            var kind: Bool?  // true: bytes
            var formatted = false
            while true {
                var prefix = ""
                while let c = peek(), c != "'", c != "\"", Chars.isWord(c) {
                    prefix.unicodeScalars.append(c)
                    i += 1
                }
                let lower = prefix.lowercased()
                let raw = lower.contains("r")
                let bytes = lower.contains("b")
                if lower.contains("f") { formatted = true }
                if let kind, kind != bytes { throw SyntaxError() }
                kind = bytes
                text += try string(raw: raw)
                skipSpace(newlines: inBrackets)
                guard let c = peek() else { break }
                if c == "'" || c == "\"" { continue }
                if Chars.isWord(c) {
                    var k = 0
                    var word = ""
                    while let d = peek(k), Chars.isWord(d) {
                        word.unicodeScalars.append(d)
                        k += 1
                    }
                    if let q = peek(k), q == "'" || q == "\"", ["r", "u", "b", "br", "rb", "f", "rf", "fr"]
                        .contains(word.lowercased())
                    {
                        continue
                    }
                }
                break
            }
            if formatted { throw NotALiteral() }
            return kind == true ? .bytes(text) : .string(text)
        }

        mutating func string(raw: Bool) throws -> String {
            let quote = s[i]
            let triple = peek(1) == quote && peek(2) == quote
            i += triple ? 3 : 1
            var out = String.UnicodeScalarView()
            while true {
                guard let c = peek() else { throw SyntaxError() }
                if c == quote, !triple || (peek(1) == quote && peek(2) == quote) {
                    i += triple ? 3 : 1
                    return String(out)
                }
                if !triple, c == "\n" || c == "\r" { throw SyntaxError() }
                if c == "\\" {
                    guard let e = peek(1) else { throw SyntaxError() }
                    if raw {
                        out.append(c)
                        out.append(e)
                        i += 2
                        continue
                    }
                    i += 2
                    try escape(e, into: &out)
                    continue
                }
                out.append(c)
                i += 1
            }
        }

        mutating func escape(_ e: Unicode.Scalar, into out: inout String.UnicodeScalarView) throws {
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "n": "\n", "t": "\t", "r": "\r", "a": "\u{07}", "b": "\u{08}", "f": "\u{0C}", "v": "\u{0B}",
                "\\": "\\", "'": "'", "\"": "\"",
            ]
            if let mapped = simple[e] {
                out.append(mapped)
            } else if e == "\n" {
                return
            } else if e >= "0" && e <= "7" {
                var value = e.value - 0x30
                var n = 1
                while n < 3, let d = peek(), d >= "0" && d <= "7" {
                    value = value * 8 + d.value - 0x30
                    i += 1
                    n += 1
                }
                out.append(Unicode.Scalar(value)!)
            } else if e == "x" || e == "u" || e == "U" {
                let width = e == "x" ? 2 : e == "u" ? 4 : 8
                var value: UInt32 = 0
                for _ in 0..<width {
                    guard let d = peek(), let digit = Int(String(d), radix: 16) else { throw SyntaxError() }
                    value = value * 16 + UInt32(digit)
                    i += 1
                }
                guard let scalar = Unicode.Scalar(value) else { throw SyntaxError() }
                out.append(scalar)
            } else {
                // Unknown escapes (including \N{...}, which needs Unicode names) stay as written.
                out.append("\\")
                out.append(e)
            }
        }

        mutating func number() throws -> PythonLiteral {
            var text = ""
            while let c = peek(), Chars.isWord(c) || c == "." || ((c == "-" || c == "+") && (text.last == "e" || text.last == "E")
                && !text.lowercased().hasPrefix("0x"))
            {
                text.unicodeScalars.append(c)
                i += 1
            }
            let plain = text.replacing("_", with: "")
            let lower = plain.lowercased()
            for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
                guard let value = Int64(lower.dropFirst(2), radix: radix) else { throw SyntaxError() }
                return .number(String(value))
            }
            if lower.hasSuffix("j") {
                guard Double(lower.dropLast()) != nil else { throw SyntaxError() }
                return .number(plain)
            }
            if let value = Int64(plain) { return .number(String(value)) }
            if plain.allSatisfy({ $0.isASCII && $0.isNumber }) { return .number(plain.drop { $0 == "0" }.isEmpty ? "0" : String(plain.drop { $0 == "0" })) }
            guard let value = Double(plain) else { throw SyntaxError() }
            return .number(PythonRepr.float(value))
        }
    }
}
