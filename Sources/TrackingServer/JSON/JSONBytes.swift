/// The growing output of a `JSONWriter`. A response is tens of thousands of small appends (a key,
/// a quote, a comma); appending to an `[UInt8]` checks uniqueness and goes through the generic
/// sequence path each time, which cost more than the bytes themselves. Here an append is a
/// capacity check and a copy. Owned by one writer, which is built, filled and returned by one task.
final class JSONBytes: @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    /// Text fixed in the code, read where the compiler put it (no closure, so no retain of self).
    @inline(__always)
    func append(_ text: StaticString) {
        if text.hasPointerRepresentation {
            append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        } else {
            text.withUTF8Buffer { append($0) }
        }
    }

    /// `,"name":` (the comma when asked) with one capacity check: a response holds thousands of keys.
    @inline(__always)
    func appendKey(_ name: StaticString, afterComma comma: Bool) {
        if name.hasPointerRepresentation {
            appendKey(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), afterComma: comma)
        } else {
            name.withUTF8Buffer { appendKey($0, afterComma: comma) }
        }
    }

    @inline(__always)
    private func appendKey(_ name: UnsafeBufferPointer<UInt8>, afterComma comma: Bool) {
        let needed = count + name.count + 4
        if needed > capacity { grow(to: needed) }
        var cursor = base + count
        if comma {
            cursor.initialize(to: UInt8(ascii: ","))
            cursor += 1
        }
        cursor.initialize(to: UInt8(ascii: "\""))
        cursor += 1
        if let start = name.baseAddress { cursor.update(from: start, count: name.count) }
        cursor += name.count
        cursor.initialize(to: UInt8(ascii: "\""))
        (cursor + 1).initialize(to: UInt8(ascii: ":"))
        count = cursor + 2 - base
    }

    private func grow(to needed: Int) {
        capacity = max(needed, capacity * 2)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
    }
}
