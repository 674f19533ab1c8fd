/// MLflow's search page tokens: base64 of `{"offset": N}`. Opaque to clients; a token that does
/// not decode to a positive offset is a 400 with MLflow's message.
package enum SearchPageToken {
    /// `base64.b64encode(json.dumps({"offset": N}))`.
    package static func make(offset: Int) -> String {
        base64Encode(Array("{\"offset\": \(offset)}".utf8))
    }

    /// The offset a token stands for; 0 when there is no token.
    package static func offset(_ token: String?) throws(TrackingError) -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let decoded = base64Decode(token) else {
            throw .invalidParameter("Invalid page token, could not base64-decode")
        }
        guard let parsed = try? JSONParser.parse(decoded) else {
            throw .invalidParameter("Invalid page token, decoded value=\(pythonBytes(decoded))")
        }
        guard case .object(let members) = parsed else {
            // MLflow fails here with a 500 ('list' object has no attribute 'get').
            throw .invalidParameter("Invalid page token, parsed value=\(parsed.pythonRepr)")
        }
        let offset: Int?
        switch members["offset"] {
        case .int(let n)?: offset = n == 0 ? nil : Int(n)
        case .double(let d)? where d != 0 && d.isFinite && d.magnitude < 9e18: offset = Int(d.rounded(.towardZero))
        case .bool(true)?: offset = 1
        case .string(let s)? where !s.isEmpty:
            guard let n = Int(s.trimmingPythonWhitespace) else {
                throw .invalidParameter("Invalid page token, not stringable \(s)")
            }
            offset = n
        default: offset = nil
        }
        guard let offset else { throw .invalidParameter("Invalid page token, parsed value=\(parsed.pythonRepr)") }
        // A negative offset reaches SQL in MLflow (SQLite ignores it, PostgreSQL fails); refuse it here.
        guard offset >= 0 else { throw .invalidParameter("Invalid page token, parsed value=\(parsed.pythonRepr)") }
        return offset
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64Encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = bytes[i], b1 = n > 1 ? bytes[i + 1] : 0, b2 = n > 2 ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(n > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Python's non-strict `base64.b64decode`: characters outside the alphabet are skipped, a
    /// complete padding ends the input, and a dangling partial group is an error.
    static func base64Decode(_ text: String) -> [UInt8]? {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        var out: [UInt8] = []
        var quad = 0
        var pads = 0
        var left: UInt8 = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "=") {
                pads += 1
                if quad >= 2, quad + pads >= 4 { return out }
                continue
            }
            guard let v = alphabet.firstIndex(of: c).map(UInt8.init) else { continue }
            pads = 0
            switch quad {
            case 0: left = v
            case 1: out.append(left << 2 | v >> 4); left = v & 0x0F
            case 2: out.append(left << 4 | v >> 2); left = v & 0x03
            default: out.append(left << 6 | v); left = 0
            }
            quad = (quad + 1) % 4
        }
        return quad == 0 ? out : nil
    }

    /// Python's `repr()` of a bytes value (`b'notjson'`).
    static func pythonBytes(_ bytes: [UInt8]) -> String {
        let quote: UInt8 = bytes.contains(UInt8(ascii: "'")) && !bytes.contains(UInt8(ascii: "\"")) ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        var out = "b" + String(UnicodeScalar(quote))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\t"): out += "\\t"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case quote: out += "\\" + String(UnicodeScalar(b))
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(b))
            default:
                let hex = String(b, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + String(UnicodeScalar(quote))
    }
}
