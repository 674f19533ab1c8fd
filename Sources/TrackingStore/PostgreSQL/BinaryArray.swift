import NIOCore

/// PostgreSQL's binary array format, read directly: PostgresNIO's generic array decoding costs
/// more than the rest of a search's row handling. One dimension, no NULL elements; anything else
/// is nil and goes through PostgresNIO. The bytes are read in place: a `ByteBuffer` read per
/// element length checked exclusive access to the buffer's storage each time, for every element.
package enum BinaryArray {
    package static func elements<T>(of buffer: ByteBuffer, _ element: (UnsafeRawBufferPointer) -> T?) -> [T]? {
        buffer.withUnsafeReadableBytes { raw in
            var reader = Reader(raw: raw)
            guard let dimensions = reader.int32(), reader.int32() != nil, reader.int32() != nil else { return nil }
            if dimensions == 0 { return reader.atEnd ? [] : nil }
            guard dimensions == 1, let count = reader.int32(), count >= 0, reader.int32() != nil else { return nil }
            var values: [T] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<count {
                guard let length = reader.int32(), length >= 0, let bytes = reader.bytes(Int(length)),
                    let value = element(bytes)
                else { return nil }
                values.append(value)
            }
            return reader.atEnd ? values : nil
        }
    }

    package static func text(_ bytes: UnsafeRawBufferPointer) -> String? { String(decoding: bytes, as: UTF8.self) }

    /// A big-endian integer filling the element exactly.
    package static func integer<I: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer, as: I.Type) -> I? {
        bytes.count == MemoryLayout<I>.size ? I(bigEndian: bytes.loadUnaligned(as: I.self)) : nil
    }

    private struct Reader {
        let raw: UnsafeRawBufferPointer
        var offset = 0

        var atEnd: Bool { offset == raw.count }

        mutating func int32() -> Int32? {
            guard let bytes = bytes(4) else { return nil }
            return Int32(bigEndian: bytes.loadUnaligned(as: Int32.self))
        }

        mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
            guard count <= raw.count - offset else { return nil }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count])
        }
    }
}
