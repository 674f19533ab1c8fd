import NIOCore

/// PostgreSQL's binary array format, read directly: PostgresNIO's generic array decoding costs
/// more than the rest of a search's row handling. One dimension, no NULL elements; anything else
/// is nil and goes through PostgresNIO.
enum BinaryArray {
    static func elements<T>(of buffer: ByteBuffer, _ element: (ByteBuffer) -> T?) -> [T]? {
        var buffer = buffer
        guard let dimensions = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil,
            buffer.readInteger(as: UInt32.self) != nil
        else { return nil }
        if dimensions == 0 { return [] }
        guard dimensions == 1, let count = buffer.readInteger(as: Int32.self), count >= 0,
            buffer.readInteger(as: Int32.self) != nil
        else { return nil }
        var values: [T] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self), length >= 0,
                let slice = buffer.readSlice(length: Int(length)), let value = element(slice)
            else { return nil }
            values.append(value)
        }
        return buffer.readableBytes == 0 ? values : nil
    }
}
