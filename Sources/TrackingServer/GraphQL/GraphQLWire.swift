import GraphQL
import OrderedCollections
import TrackingCore

/// Conversions between GraphQL values and the REST layer's JSON. MLflow's GraphQL types are
/// generated from its protobuf messages: fields are the proto fields in camelCase, and an unset
/// field reads as the proto default (`""`, `"0"`, `[]`, an empty message), never as null.
enum GraphQLWire {
    /// A GraphQL input value (variables or literal arguments) as the REST request MLflow's
    /// `parse_dict` would build from it: camelCase keys back to snake_case.
    static func requestJSON(_ value: Map) -> JSONValue {
        switch value {
        case .undefined, .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number):
            return number.storageType == .double ? .double(number.doubleValue) : .int(Int64(number.intValue))
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(requestJSON))
        case .dictionary(let members):
            var object: [String: JSONValue] = [:]
            for (key, member) in members where member != .undefined { object[snakeCase(key)] = requestJSON(member) }
            return .object(object)
        }
    }

    /// A REST response object shaped as the GraphQL object `type`: every field present, with the
    /// proto default where the REST JSON leaves it out. Fields in `skipping` are resolved elsewhere.
    static func object(_ json: JSONValue?, as type: GraphQLObjectType, skipping: Set<String> = []) throws -> [String: any Sendable] {
        var result: [String: any Sendable] = [:]
        for (name, field) in try type.fields() where !skipping.contains(name) {
            // apiError is GraphQL-only (no proto field): null unless an error is reported.
            if name == "apiError" { continue }
            result[name] = try value(json?[snakeCase(name)], as: field.type)
        }
        return result
    }

    private static func value(_ json: JSONValue?, as type: any GraphQLOutputType) throws -> (any Sendable)? {
        switch type {
        case let nonNull as GraphQLNonNull:
            return try value(json, as: nonNull.ofType as! (any GraphQLOutputType))
        case let list as GraphQLList:
            guard case .array(let items)? = json else { return [(any Sendable)?]() }
            let itemType = list.ofType as! (any GraphQLOutputType)
            return try items.map { try value($0, as: itemType) } as [(any Sendable)?]
        case let object as GraphQLObjectType:
            return try self.object(json ?? .object([:]), as: object, skipping: extensionFields[object.name] ?? [])
        case let enumType as GraphQLEnumType:
            if case .string(let name)? = json { return name }
            return enumType.values.first?.name
        case let scalar as GraphQLScalarType:
            return scalarValue(json, scalar: scalar.name)
        default:
            return nil
        }
    }

    /// Fields that are not copied from the REST JSON because their own resolvers fill them.
    static let extensionFields: [String: Set<String>] = ["MlflowRunExtension": ["experiment", "modelVersions"]]

    private static func scalarValue(_ json: JSONValue?, scalar: String) -> (any Sendable)? {
        switch scalar {
        case "LongString":
            switch json {
            case .int(let number)?: return String(number)
            case .double(let number)?: return String(Int64(number))
            case .string(let text)?: return text
            default: return "0"
            }
        case "Float":
            switch json {
            case .int(let number)?: return Double(number)
            case .double(let number)?: return number
            // MLflow's metric extension answers null for NaN, which GraphQL's Float cannot carry.
            case .string?: return nil
            default: return 0.0
            }
        case "Int":
            if case .int(let number)? = json { return Int(number) }
            return 0
        case "Boolean":
            if case .bool(let flag)? = json { return flag }
            return false
        default:
            if case .string(let text)? = json { return text }
            return ""
        }
    }

    /// `runUuid` → `run_uuid`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result.append("_")
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A JSON variables object as GraphQL values.
    static func map(_ json: JSONValue) -> Map {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Number(Int(number)))
        case .double(let number): return .number(Number(number))
        case .string(let text): return .string(text)
        case .array(let items): return .array(items.map(map))
        case .object(let members):
            var result: OrderedDictionary<String, Map> = [:]
            for key in members.keys.sorted() { result[key] = map(members[key]!) }
            return .dictionary(result)
        }
    }
}

extension JSONWriter {
    /// A GraphQL result value, in the order the query asked for its fields.
    mutating func graphQLValue(_ value: Map) {
        switch value {
        case .undefined, .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number):
            switch number.storageType {
            case .int: int(Int64(number.intValue))
            case .bool: bool(number.boolValue)
            default: double(number.doubleValue)
            }
        case .string(let text): string(text)
        case .array(let items):
            beginArray()
            for item in items { graphQLValue(item) }
            endArray()
        case .dictionary(let members):
            beginObject()
            for (name, member) in members {
                key(escaping: name)
                graphQLValue(member)
            }
            endObject()
        }
    }
}
