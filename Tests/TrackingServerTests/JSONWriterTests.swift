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

    /// Fixed names of one byte, none, and more than sixteen, each with its comma and colon.
    @Test func keysOfEveryLength() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("k")
        writer.int(1)
        writer.key("")
        writer.int(2)
        writer.key("a_longer_key_name_than_sixteen_bytes")
        writer.int(3)
        writer.endObject()
        #expect(writer.text == #"{"k":1,"":2,"a_longer_key_name_than_sixteen_bytes":3}"#)
    }

    @Test(arguments: [
        Int64(0), 7, -7, 9, 10, 11, 99, 100, 101, -100, 1_700_000_000_000, -1_000_000, 999_999_999_999_999_999,
        1_000_000_000_000_000_000, Int64.max, Int64.min, Int64.min + 1,
    ])
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

    /// Digits streamed into the output are exactly what `description` gives, for doubles of every
    /// magnitude (random bit patterns) and for short decimals (the values people log).
    @Test func doublesMatchDescription() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [
            0, -0.0, 1, 0.5, 1e15, 1e16, 1e-4, 1e-5, 9007199254740992, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        ]
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite { values.append(value) }
            values.append(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / 1000)
            values.append(Double.random(in: 0..<1, using: &generator))
        }
        var writer = JSONWriter()
        writer.beginArray()
        for value in values { writer.double(value) }
        writer.endArray()
        #expect(writer.text == "[" + values.map(\.description).joined(separator: ",") + "]")
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
