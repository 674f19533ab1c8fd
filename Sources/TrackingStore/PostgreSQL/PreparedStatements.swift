import Logging
import PostgresNIO
import Synchronization

/// Server-side prepared statements for the store's repeated SQL. PostgreSQL then parses and plans
/// a statement once per connection instead of on every request (a quarter of its CPU for a
/// `log-metric`). PostgresNIO prepares statements by type, so each distinct (SQL text, parameter
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

    static let slotTypes: [any PreparedSlot.Type] = [
        SlotIndex<0>.self, SlotIndex<1>.self, SlotIndex<2>.self, SlotIndex<3>.self, SlotIndex<4>.self, SlotIndex<5>.self, SlotIndex<6>.self, SlotIndex<7>.self,
        SlotIndex<8>.self, SlotIndex<9>.self, SlotIndex<10>.self, SlotIndex<11>.self, SlotIndex<12>.self, SlotIndex<13>.self, SlotIndex<14>.self, SlotIndex<15>.self,
        SlotIndex<16>.self, SlotIndex<17>.self, SlotIndex<18>.self, SlotIndex<19>.self, SlotIndex<20>.self, SlotIndex<21>.self, SlotIndex<22>.self, SlotIndex<23>.self,
        SlotIndex<24>.self, SlotIndex<25>.self, SlotIndex<26>.self, SlotIndex<27>.self, SlotIndex<28>.self, SlotIndex<29>.self, SlotIndex<30>.self, SlotIndex<31>.self,
        SlotIndex<32>.self, SlotIndex<33>.self, SlotIndex<34>.self, SlotIndex<35>.self, SlotIndex<36>.self, SlotIndex<37>.self, SlotIndex<38>.self, SlotIndex<39>.self,
        SlotIndex<40>.self, SlotIndex<41>.self, SlotIndex<42>.self, SlotIndex<43>.self, SlotIndex<44>.self, SlotIndex<45>.self, SlotIndex<46>.self, SlotIndex<47>.self,
        SlotIndex<48>.self, SlotIndex<49>.self, SlotIndex<50>.self, SlotIndex<51>.self, SlotIndex<52>.self, SlotIndex<53>.self, SlotIndex<54>.self, SlotIndex<55>.self,
        SlotIndex<56>.self, SlotIndex<57>.self, SlotIndex<58>.self, SlotIndex<59>.self, SlotIndex<60>.self, SlotIndex<61>.self, SlotIndex<62>.self, SlotIndex<63>.self,
        SlotIndex<64>.self, SlotIndex<65>.self, SlotIndex<66>.self, SlotIndex<67>.self, SlotIndex<68>.self, SlotIndex<69>.self, SlotIndex<70>.self, SlotIndex<71>.self,
        SlotIndex<72>.self, SlotIndex<73>.self, SlotIndex<74>.self, SlotIndex<75>.self, SlotIndex<76>.self, SlotIndex<77>.self, SlotIndex<78>.self, SlotIndex<79>.self,
        SlotIndex<80>.self, SlotIndex<81>.self, SlotIndex<82>.self, SlotIndex<83>.self, SlotIndex<84>.self, SlotIndex<85>.self, SlotIndex<86>.self, SlotIndex<87>.self,
        SlotIndex<88>.self, SlotIndex<89>.self, SlotIndex<90>.self, SlotIndex<91>.self, SlotIndex<92>.self, SlotIndex<93>.self, SlotIndex<94>.self, SlotIndex<95>.self,
    ]
}

/// A slot number as a type, so that PostgresNIO (which names prepared statements by type) can
/// tell the slots apart.
package protocol PreparedSlot: Sendable {
    static var number: Int { get }
}

enum SlotIndex<let N: Int>: PreparedSlot {
    static var number: Int { N }
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
