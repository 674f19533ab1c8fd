/// The shape of an insert of many rows into one table: the columns that vary by row, one column
/// every row shares (the run they belong to), and what to do on conflict. The rows come as one
/// array value per column (`SQLValue.texts`, `.doubles`, ...); each driver writes its own SQL.
package struct BulkInsert: Sendable {
    /// A column's type, as PostgreSQL names its arrays.
    package enum ColumnType: String, Sendable {
        case text = "text[]", double = "float8[]", int = "int8[]", bool = "bool[]"
    }

    let table: String
    let columns: [String]
    let types: [ColumnType]
    let shared: String
    /// Written after the rows, e.g. `ON CONFLICT DO NOTHING`.
    let conflict: String

    init(into table: String, columns: [(String, ColumnType)], shared: String, conflict: String) {
        self.table = table
        self.columns = columns.map(\.0)
        self.types = columns.map(\.1)
        self.shared = shared
        self.conflict = conflict
    }

    /// `INSERT INTO table (columns..., shared)`.
    var head: String { "INSERT INTO \(table) (\(columns.joined(separator: ", ")), \(shared))" }

    /// The number of rows in column arrays (the first column's length).
    static func rowCount(_ columns: [SQLValue]) -> Int {
        switch columns.first {
        case .texts(let a): a.count
        case .doubles(let a): a.count
        case .ints(let a): a.count
        case .bools(let a): a.count
        default: 0
        }
    }
}

extension SQLValue {
    /// Element `i` of an array value as a scalar value (`.null` for scalars or out of range).
    func element(_ i: Int) -> SQLValue {
        switch self {
        case .texts(let a): i < a.count ? .text(a[i]) : .null
        case .doubles(let a): i < a.count ? .double(a[i]) : .null
        case .ints(let a): i < a.count ? .int(a[i]) : .null
        case .bools(let a): i < a.count ? .bool(a[i]) : .null
        case .int, .double, .text, .bool, .null: .null
        }
    }
}
