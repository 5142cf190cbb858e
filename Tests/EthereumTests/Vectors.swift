import BigInt
import Foundation

@testable import Ethereum

/// Loads the committed known-answer files in `Vectors/` and converts their JSON to Ethereum values.
enum Vectors {
    static func load(_ name: String) throws -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw VectorError(description: "missing vector file \(name).json")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw VectorError(description: "\(name).json is not an object")
        }
        return object
    }

    static func cases(_ name: String) throws -> [[String: Any]] {
        try load(name)["cases"] as? [[String: Any]] ?? []
    }

    struct VectorError: Error, CustomStringConvertible {
        let description: String
    }

    static func bytes(_ any: Any?) throws -> [UInt8] {
        guard let text = any as? String else {
            throw VectorError(description: "expected hex, got \(String(describing: any))")
        }
        return try Hex.decode(text)
    }

    static func bigUInt(_ any: Any?) throws -> BigUInt {
        if let text = any as? String, let value = BigUInt(text, radix: 10) { return value }
        if let number = any as? NSNumber { return BigUInt(number.uint64Value) }
        throw VectorError(description: "expected a number, got \(String(describing: any))")
    }

    /// A JSON value (decimal-string or numeric integers, hex bytes, strings) as an ABIValue of `type`.
    static func abiValue(_ type: ABIType, _ any: Any) throws -> ABIValue {
        switch type {
        case .address:
            let text = try (any as? String).orThrow()
            return .address(try Address(hex: text.hasPrefix("0x") ? text : "0x" + text))
        case .bool: return .bool(try (any as? Bool).orThrow())
        case .uint: return .uint(try bigUInt(any))
        case .int:
            if let number = any as? NSNumber { return .int(BigInt(number.int64Value)) }
            return .int(try BigInt(try (any as? String).orThrow(), radix: 10).orThrow())
        case .fixedBytes(let n):
            if let text = any as? String, !text.hasPrefix("0x") {
                return .fixedBytes(Array(text.utf8) + [UInt8](repeating: 0, count: n - text.utf8.count))
            }
            return .fixedBytes(try bytes(any))
        case .bytes:
            if let text = any as? String, !text.hasPrefix("0x") { return .bytes(Array(text.utf8)) }
            return .bytes(try bytes(any))
        case .string: return .string(try (any as? String).orThrow())
        case .array(let element), .fixedArray(let element, _):
            return .array(try (any as? [Any]).orThrow().map { try abiValue(element, $0) })
        case .tuple(let components):
            let items = try (any as? [Any]).orThrow()
            return .tuple(try zip(components, items).map { try abiValue($0, $1) })
        }
    }

    /// A JSON value as an EIP-712 value (numbers kept as numbers, everything else structural).
    static func eip712Value(_ any: Any) throws -> EIP712.Value {
        switch any {
        case let number as NSNumber where String(cString: number.objCType) == "c": return .bool(number.boolValue)
        case let number as NSNumber: return .number(BigInt(number.int64Value))
        case let text as String: return .string(text)
        case let items as [Any]: return .array(try items.map(eip712Value))
        case let members as [String: Any]: return .object(try members.mapValues(eip712Value))
        case is NSNull: return .null
        default: throw VectorError(description: "unsupported JSON value \(any)")
        }
    }

    static func typedData(_ any: Any?) throws -> EIP712.TypedData {
        let object = try (any as? [String: Any]).orThrow()
        let rawTypes = try (object["types"] as? [String: [[String: String]]]).orThrow()
        let types = try rawTypes.mapValues { fields in
            try fields.map { EIP712.Field(name: try $0["name"].orThrow(), type: try $0["type"].orThrow()) }
        }
        guard case .object(let domain) = try eip712Value(object["domain"] ?? [:]),
            case .object(let message) = try eip712Value(object["message"] ?? [:])
        else { throw VectorError(description: "domain and message must be objects") }
        return EIP712.TypedData(
            types: types, primaryType: try (object["primaryType"] as? String).orThrow(), domain: domain,
            message: message)
    }
}

extension Optional {
    func orThrow() throws -> Wrapped {
        guard let self else { throw Vectors.VectorError(description: "missing or mistyped value") }
        return self
    }
}
