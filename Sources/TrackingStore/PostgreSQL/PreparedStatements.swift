import Logging
import PostgresNIO
import Synchronization

/// Server-side prepared statements for the store's repeated SQL. PostgreSQL then parses and plans
/// a statement once per connection instead of on every request, much of the cost of a small write
/// such as `log-metric`. PostgresNIO prepares statements by type, so each distinct (SQL text, parameter
/// types) pair is given one of a fixed set of slot types for good; texts seen rarely (batches of
/// varying length) stay unnamed.
package enum PreparedStatements {
    /// Executions of an unprepared text before it earns a slot.
    package static let threshold = 3
    /// Statements with more parameters are built per request (IN lists, multi-row VALUES) and are
    /// not worth a slot; array parameters keep the hot batch statements short.
    package static let maximumBinds = 32

    private struct Registry {
        var slots: [String: Int] = [:]
        var texts: [String] = []
        var seen: [String: Int] = [:]
    }

    private static let registry = Mutex(Registry())

    /// The slot for this statement, once it has been seen often enough and while slots remain.
    package static func slot(sql: String, binds: [SQLValue]) -> (any PreparedSlot.Type)? {
        guard binds.count <= maximumBinds else { return nil }
        var key = sql
        key.append("\u{0}")
        for bind in binds { key.append(bind.typeCode) }
        let number = registry.withLock { registry -> Int? in
            if let slot = registry.slots[key] { return slot }
            guard registry.texts.count < slotTypes.count else { return nil }
            let count = registry.seen[key, default: 0] + 1
            guard count >= threshold else {
                // Forget one-off texts rather than let the counts grow without bound.
                if registry.seen.count >= 1_000 { registry.seen.removeAll(keepingCapacity: true) }
                registry.seen[key] = count
                return nil
            }
            registry.seen[key] = nil
            registry.slots[key] = registry.texts.count
            registry.texts.append(PlaceholderRewriter.rewrite(sql))
            return registry.texts.count - 1
        }
        return number.map { slotTypes[$0] }
    }

    static func text(_ slot: Int) -> String { registry.withLock { $0.texts[slot] } }

    /// 128 distinct slot types, built by doubling: each level turns every type `S` into `Even<S>`
    /// and `Odd<S>`, so the numbers come out 0...127 in order.
    static let slotTypes: [any PreparedSlot.Type] = expand(Root.self, levels: 7)

    private static func expand<S: PreparedSlot>(_ slot: S.Type, levels: Int) -> [any PreparedSlot.Type] {
        levels == 0 ? [slot] : expand(Even<S>.self, levels: levels - 1) + expand(Odd<S>.self, levels: levels - 1)
    }
}

/// A slot number as a type, so that PostgresNIO (which names prepared statements by type) can
/// tell the slots apart.
package protocol PreparedSlot: Sendable {
    static var number: Int { get }
}

private enum Root: PreparedSlot {
    static var number: Int { 0 }
}

private enum Even<S: PreparedSlot>: PreparedSlot {
    static var number: Int { S.number * 2 }
}

private enum Odd<S: PreparedSlot>: PreparedSlot {
    static var number: Int { S.number * 2 + 1 }
}

/// The statement in a slot. (PostgresNIO's command-tag variant cannot be used: it traps on
/// statements that return no rows, so changed rows are learned through RETURNING instead.)
struct RowsStatement<Slot: PreparedSlot>: PostgresPreparedStatement {
    static var name: String { "tracking_rows_\(Slot.number)" }
    // The parameter types come from the first execution's bindings (PostgresNIO's default).
    static var sql: String { PreparedStatements.text(Slot.number) }
    let bindings: PostgresBindings
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

extension SQLValue {
    /// One character per bind type: a prepared statement is reused only with the same types.
    fileprivate var typeCode: Character {
        switch self {
        case .int: "i"
        case .double: "d"
        case .text: "t"
        case .bool: "b"
        case .null: "n"
        case .texts: "T"
        case .doubles: "D"
        case .ints: "I"
        case .bools: "B"
        }
    }
}
