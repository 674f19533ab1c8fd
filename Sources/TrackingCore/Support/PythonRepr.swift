/// Python's `repr()` of a string, for the error messages MLflow formats with Python values.
package enum PythonRepr {
    package static func string(_ value: String) -> String {
        let quote: Character = value.contains("'") && !value.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where Character(scalar) == quote: out += "\\\(quote)"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append(quote)
        return out
    }

    /// `[{'key': 'k', 'old_value': 'a', 'new_value': 'b'}, ...]` as Python prints a list of dicts of strings.
    package static func listOfDicts(_ items: [[(String, String)]]) -> String {
        "[" + items.map { pairs in
            "{" + pairs.map { string($0.0) + ": " + string($0.1) }.joined(separator: ", ") + "}"
        }.joined(separator: ", ") + "]"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
