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
}
