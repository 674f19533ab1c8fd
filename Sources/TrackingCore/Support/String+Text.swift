/// Small string helpers for request values.
extension String {
    /// nil for "", as proto3 cannot tell an empty string from an unset one.
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    package var trimmedWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
