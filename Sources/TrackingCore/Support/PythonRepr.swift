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

    /// Python's `repr()` of a float: the shortest round-trip digits, in exponent form below 1e-4
    /// and from 1e16 on (`1000.0`, `1e+16`, `1.5e-05`).
    package static func float(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest digits; only the layout differs.
        var text = "\(value.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        exponent += whole.count - 1
        let leadingZeros = digits.prefix { $0 == "0" }.count
        digits.removeFirst(leadingZeros)
        exponent -= leadingZeros
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 16 {
            let mantissa = digits.count == 1 ? digits : "\(digits.first!).\(digits.dropFirst())"
            let e = exponent < 0 ? "-" + String(-exponent).leftPadded(to: 2) : "+" + String(exponent).leftPadded(to: 2)
            return sign + mantissa + "e" + e
        }
        if exponent < 0 { return sign + "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if digits.count <= exponent + 1 { return sign + digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0" }
        let point = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return sign + digits[..<point] + "." + digits[point...]
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
