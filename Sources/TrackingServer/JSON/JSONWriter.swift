/// Writes JSON straight into bytes. Responses are built with it rather than `JSONEncoder` so that
/// MLflow's conventions (empty fields omitted, NaN as the string "NaN", int64 as numbers) are
/// explicit at each field, and large metric histories are written without intermediate objects.
package struct JSONWriter {
    // Copies of a writer share this output; writers are built, filled and returned, never copied.
    private let output: JSONBytes
    private var needsComma = false

    package init(capacity: Int = 256) { output = JSONBytes(capacity: capacity) }

    package var bytes: [UInt8] { output.withBytes { Array($0) } }

    /// The output so far, without copying it.
    package func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try output.withBytes(body)
    }

    package var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    package mutating func beginObject() {
        separate()
        output.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        output.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        separate()
        output.append(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        output.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the value written next belongs to it. Names fixed in the code are copied
    /// as they are (a response holds thousands of them; none needs escaping).
    package mutating func key(_ name: StaticString) {
        output.appendKey(name, afterComma: needsComma)
        needsComma = false
    }

    /// Writes `"name":` for a name that comes from data, escaped.
    package mutating func key(escaping name: String) {
        separate()
        appendQuoted(name)
        output.append(UInt8(ascii: ":"))
        needsComma = false
    }

    package mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    package mutating func int(_ value: Int64) {
        separate()
        appendDecimal(value)
        needsComma = true
    }

    package mutating func bool(_ value: Bool) {
        separate()
        output.append(value ? "true" : "false")
        needsComma = true
    }

    package mutating func null() {
        separate()
        output.append("null")
        needsComma = true
    }

    /// A double the way MLflow sends it: finite values as numbers, NaN and infinities as strings.
    package mutating func double(_ value: Double) {
        if value.isNaN { return string("NaN") }
        if value.isInfinite { return string(value > 0 ? "Infinity" : "-Infinity") }
        separate()
        // The shortest text that reads back as the same double, as Python's repr (and Swift's
        // `description`), streamed in: a `String` per value cost more than the digits.
        var sink = DigitsSink(output: output)
        value.write(to: &sink)
        needsComma = true
    }

    // Field helpers that follow proto3 JSON: unset fields are left out.

    package mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    package mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        field(name, value)
    }

    package mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    /// Digits straight into the output: responses carry thousands of timestamps and steps, and a
    /// `String` per number cost more than the rest of writing them.
    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            output.append(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    @inline(__always)
    private mutating func separate() {
        if needsComma { output.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ value: String) {
        output.append(UInt8(ascii: "\""))
        // A native string lends its bytes as they are (`withUTF8` would need a copy of it first).
        if value.utf8.withContiguousStorageIfAvailable({ appendEscaping($0) }) == nil {
            var copy = value
            copy.withUTF8 { appendEscaping($0) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Copies runs of plain bytes at once: most keys and values need no escape at all.
    private func appendEscaping(_ utf8: UnsafeBufferPointer<UInt8>) {
        var plain = 0
        for i in utf8.indices {
            let byte = utf8[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            output.append(UnsafeBufferPointer(rebasing: utf8[plain..<i]))
            appendEscaped(byte)
            plain = i + 1
        }
        output.append(UnsafeBufferPointer(rebasing: utf8[plain...]))
    }

    private func appendBytes(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { output.append($0) }
    }

    private func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): appendBytes([0x5C, 0x22])
        case UInt8(ascii: "\\"): appendBytes([0x5C, 0x5C])
        case 0x0A: appendBytes([0x5C, UInt8(ascii: "n")])
        case 0x0D: appendBytes([0x5C, UInt8(ascii: "r")])
        case 0x09: appendBytes([0x5C, UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            appendBytes([0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}

/// Takes a number's text from the standard library straight into the output: `Double.write(to:)`
/// hands its digits to `_writeASCII` as bytes, where `write(_:)` would receive a new `String`.
private struct DigitsSink: TextOutputStream {
    let output: JSONBytes

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { output.append($0) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        output.append(buffer)
    }
}
