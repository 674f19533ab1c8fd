import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One pooled PostgreSQL connection seen through the store's `SQLConnection`: `?` placeholders
/// become `$n`, values are bound in binary, result cells are read back by their column type.
final class PostgresSQLConnection: SQLConnection, @unchecked Sendable {
    // Used by one task at a time, inside one transaction (the pool leases it exclusively).
    private let connection: PostgresConnection
    private let logger: Logger

    var dialect: SQLDialect { .postgres }

    init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try await forEachRow(sql, binds) { rows.append($0) }
        return rows
    }

    func forEachRow(_ sql: String, _ binds: [SQLValue], _ body: (SQLRow) throws -> Void) async throws {
        do {
            let bindings = Self.bindings(binds)
            if let slot = PreparedStatements.slot(sql: sql, binds: binds) {
                try await forEachPreparedRow(slot, bindings, body)
            } else {
                let query = PostgresQuery(unsafeSQL: PlaceholderRewriter.numbered(sql), binds: bindings)
                try await Self.forEach(connection.query(query, logger: logger), body)
            }
        } catch let error as PSQLError {
            throw DatabaseError(postgres: error, sql: sql)
        }
    }

    func execute(_ sql: String, _ binds: [SQLValue]) async throws {
        try await forEachRow(sql, binds) { _ in }
    }

    /// Statements without parameters (BEGIN, COMMIT, DDL), never prepared.
    func executeScript(_ sql: String) async throws {
        do {
            try await Self.forEach(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)) { _ in }
        } catch {
            throw DatabaseError(postgres: error, sql: sql)
        }
    }

    private func forEachPreparedRow<Slot: PreparedSlot>(
        _ slot: Slot.Type, _ bindings: PostgresBindings, _ body: (SQLRow) throws -> Void
    ) async throws {
        try await Self.forEach(connection.execute(RowsStatement<Slot>(bindings: bindings), logger: logger), body)
    }

    private static func forEach<Rows: AsyncSequence>(_ rows: Rows, _ body: (SQLRow) throws -> Void) async throws
    where Rows.Element == PostgresRow {
        var values: [SQLValue] = []
        for try await row in rows {
            decode(row, into: &values)
            try body(SQLRow(values))
        }
    }

    private static func bindings(_ binds: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .int(let n): bindings.append(n)
            case .double(let d): bindings.append(d)
            case .text(let s): bindings.append(s)
            case .bool(let b): bindings.append(b)
            case .null: bindings.appendNull()
            case .texts(let values): bindings.append(values)
            case .doubles(let values): bindings.append(values)
            case .ints(let values): bindings.append(values)
            case .bools(let values): bindings.append(values)
            }
        }
        return bindings
    }

    /// Reads a row's cells into `values` (reusing its storage: long histories decode row by row).
    private static func decode(_ row: PostgresRow, into values: inout [SQLValue]) {
        values.removeAll(keepingCapacity: true)
        for cell in row {
            values.append(value(of: cell))
        }
    }

    /// The column types of MLflow's schema, read straight from their binary form; anything else
    /// goes through PostgresNIO's decoding as text.
    private static func value(of cell: PostgresCell) -> SQLValue {
        guard let bytes = cell.bytes else { return .null }
        if cell.format == .binary {
            switch cell.dataType {
            case .int8 where bytes.readableBytes == 8:
                return bytes.getInteger(at: bytes.readerIndex, as: Int64.self).map(SQLValue.int) ?? .null
            case .int4 where bytes.readableBytes == 4:
                return bytes.getInteger(at: bytes.readerIndex, as: Int32.self).map { .int(Int64($0)) } ?? .null
            case .float8 where bytes.readableBytes == 8:
                return bytes.getInteger(at: bytes.readerIndex, as: UInt64.self).map { .double(Double(bitPattern: $0)) } ?? .null
            case .bool where bytes.readableBytes == 1:
                return bytes.getInteger(at: bytes.readerIndex, as: UInt8.self).map { .bool($0 != 0) } ?? .null
            case .text, .varchar, .bpchar, .name:
                return .text(bytes.getString(at: bytes.readerIndex, length: bytes.readableBytes) ?? "")
            case .textArray, .varcharArray:
                if let values = BinaryArray.elements(of: bytes, BinaryArray.text) {
                    return .texts(values)
                }
            case .float8Array:
                if let values = BinaryArray.elements(of: bytes, { BinaryArray.integer($0, as: UInt64.self).map(Double.init(bitPattern:)) }) {
                    return .doubles(values)
                }
            case .int8Array:
                if let values = BinaryArray.elements(of: bytes, { BinaryArray.integer($0, as: Int64.self) }) {
                    return .ints(values)
                }
            case .boolArray:
                if let values = BinaryArray.elements(of: bytes, { BinaryArray.integer($0, as: UInt8.self).map { $0 != 0 } }) {
                    return .bools(values)
                }
            default:
                break
            }
        }
        switch cell.dataType {
        case .int2, .int4, .int8:
            return (try? cell.decode(Int64.self)).map(SQLValue.int) ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.double) ?? .null
        case .numeric:
            return (try? cell.decode(String.self)).flatMap(Double.init).map(SQLValue.double) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map(SQLValue.bool) ?? .null
        case .float8Array:
            return (try? cell.decode([Double].self)).map(SQLValue.doubles) ?? .null
        case .int8Array:
            return (try? cell.decode([Int64].self)).map(SQLValue.ints) ?? .null
        case .boolArray:
            return (try? cell.decode([Bool].self)).map(SQLValue.bools) ?? .null
        case .textArray, .varcharArray:
            return (try? cell.decode([String].self)).map(SQLValue.texts) ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}

/// Turns the store's `?` placeholders into PostgreSQL's `$1, $2, ...`, leaving quoted text alone.
/// Statements repeat, so each rewrite is remembered.
package enum PlaceholderRewriter {
    private static let cache = Mutex<[String: String]>([:])
    private static let cacheLimit = 4096

    package static func numbered(_ sql: String) -> String {
        if let known = cache.withLock({ $0[sql] }) { return known }
        let rewritten = rewrite(sql)
        cache.withLock { cache in
            // Batch statements vary with their row count; a full cache starts over rather than grow.
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[sql] = rewritten
        }
        return rewritten
    }

    package static func rewrite(_ sql: String) -> String {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                output.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                output.append(character)
            } else if character == "?" {
                number += 1
                output += "$\(number)"
            } else {
                output.append(character)
            }
        }
        return output
    }
}
