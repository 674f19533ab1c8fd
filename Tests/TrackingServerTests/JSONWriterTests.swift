import Foundation
import Testing

import TrackingServer

/// The writer's string escaping: what JSON requires escaped is, everything else is copied as is.
@Suite struct JSONWriterTests {
    @Test(arguments: [
        ("", #""""#),
        ("plain", #""plain""#),
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\dir"#, #""C:\\dir""#),
        ("a\nb\rc\td", #""a\nb\rc\td""#),
        ("\u{01}x\u{1F}", #""\u0001x\u001f""#),
        ("\"", #""\"""#),
        ("é ✓ 😀", "\"é ✓ 😀\""),
        ("end\\", #""end\\""#),
    ])
    func stringEscaping(value: String, json: String) throws {
        var writer = JSONWriter()
        writer.string(value)
        #expect(writer.text == json)
        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes), options: .fragmentsAllowed) as? String
        #expect(decoded == value)
    }

    @Test func keysFromDataAreEscapedToo() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key(escaping: "k\"ey")
        writer.string("v")
        writer.field("fixed", "w")
        writer.endObject()
        #expect(writer.text == #"{"k\"ey":"v","fixed":"w"}"#)
    }

    @Test(arguments: [Int64(0), 7, -7, 10, 1_700_000_000_000, -1_000_000, Int64.max, Int64.min])
    func integers(value: Int64) {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(value)
        writer.int(value)
        writer.endArray()
        #expect(writer.text == "[\(value),\(value)]")
    }

    /// Doubles as Python's `repr` writes them, which is what MLflow's JSON carries.
    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (1.0, "1.0"), (-1.5, "-1.5"), (0.1, "0.1"), (1.0 / 3.0, "0.3333333333333333"),
        (1e16, "1e+16"), (1e-5, "1e-05"), (123456789.125, "123456789.125"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (0.30000000000000004, "0.30000000000000004"),
        (0.12345678901234566, "0.12345678901234566"), (1e22, "1e+22"),
    ])
    func doubles(value: Double, json: String) {
        var writer = JSONWriter()
        writer.beginArray()
        writer.double(value)
        writer.double(value)
        writer.endArray()
        #expect(writer.text == "[\(json),\(json)]")
    }

    @Test func nonFiniteDoublesAreStrings() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.double(.nan)
        writer.double(.infinity)
        writer.double(-.infinity)
        writer.endArray()
        #expect(writer.text == #"["NaN","Infinity","-Infinity"]"#)
    }
}
