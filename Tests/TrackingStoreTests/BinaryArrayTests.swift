import NIOCore
import Testing
import TrackingStore

/// PostgreSQL's binary array format as the search reads it: what it cannot read exactly is nil
/// (and goes through PostgresNIO), never a wrong value.
@Suite("PostgreSQL binary arrays")
struct BinaryArrayTests {
    /// Header (dimensions, has-nulls flag, element type), one dimension's size and lower bound,
    /// then each element as a length and its bytes (-1: NULL).
    private func array(_ elements: [[UInt8]?], dimensions: Int32 = 1, trailing: [UInt8] = []) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(dimensions)
        buffer.writeInteger(Int32(elements.contains { $0 == nil } ? 1 : 0))
        buffer.writeInteger(UInt32(25))
        if dimensions > 0 {
            buffer.writeInteger(Int32(elements.count))
            buffer.writeInteger(Int32(1))
            for element in elements {
                if let element {
                    buffer.writeInteger(Int32(element.count))
                    buffer.writeBytes(element)
                } else {
                    buffer.writeInteger(Int32(-1))
                }
            }
        }
        buffer.writeBytes(trailing)
        return buffer
    }

    private func bigEndian<I: FixedWidthInteger>(_ value: I) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    @Test func readsTextsIntegersDoublesAndBools() {
        #expect(BinaryArray.elements(of: array([Array("a".utf8), Array("é\"x".utf8), []]), BinaryArray.text) == ["a", "é\"x", ""])
        #expect(BinaryArray.elements(of: array([bigEndian(Int64(1)), bigEndian(Int64(-2))])) { BinaryArray.integer($0, as: Int64.self) } == [1, -2])
        let doubles = BinaryArray.elements(of: array([bigEndian((0.5).bitPattern), bigEndian((-1e300).bitPattern)])) {
            BinaryArray.integer($0, as: UInt64.self).map(Double.init(bitPattern:))
        }
        #expect(doubles == [0.5, -1e300])
        #expect(BinaryArray.elements(of: array([[1], [0]])) { BinaryArray.integer($0, as: UInt8.self).map { $0 != 0 } } == [true, false])
    }

    @Test func anEmptyArrayHasNoDimension() {
        #expect(BinaryArray.elements(of: array([], dimensions: 0), BinaryArray.text) == [])
    }

    @Test func whatItCannotReadExactlyIsNil() {
        #expect(BinaryArray.elements(of: array([Array("a".utf8), nil]), BinaryArray.text) == nil)
        #expect(BinaryArray.elements(of: array([Array("a".utf8)], trailing: [0]), BinaryArray.text) == nil)
        #expect(BinaryArray.elements(of: array([Array("a".utf8)], dimensions: 2), BinaryArray.text) == nil)
        #expect(BinaryArray.elements(of: array([[1, 2, 3]])) { BinaryArray.integer($0, as: Int64.self) } == nil)
        var truncated = array([Array("abc".utf8)])
        truncated.moveWriterIndex(to: truncated.writerIndex - 1)
        #expect(BinaryArray.elements(of: truncated, BinaryArray.text) == nil)
    }
}
