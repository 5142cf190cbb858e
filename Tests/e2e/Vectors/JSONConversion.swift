import BigInt
import Ethereum
import Foundation

/// JSON conventions of the tool: integers as decimal strings (JSON numbers also accepted on input), byte strings
/// and addresses as 0x-hex (addresses lower-case on output), tuples and arrays as JSON arrays.
enum JSONConversion {
    static func string(_ any: Any?, _ what: String) throws -> String {
        guard let text = any as? String else { throw ToolError("\(what) must be a string") }
        return text
    }

    static func bytes(_ any: Any?, _ what: String) throws -> [UInt8] {
        try Hex.decode(try string(any, what), requirePrefix: true)
    }

    static func address(_ any: Any?, _ what: String) throws -> Address {
        try Address(hex: try string(any, what))
    }

    static func isBool(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    static func bigInt(_ any: Any?, _ what: String) throws -> BigInt {
        if let number = any as? NSNumber, !isBool(number) {
            let kind = String(cString: number.objCType)
            if kind == "d" || kind == "f" {
                guard let exact = Int64(exactly: number.doubleValue) else { throw ToolError("\(what) is not an integer") }
                return BigInt(exact)
            }
            return kind == "Q" ? BigInt(number.uint64Value) : BigInt(number.int64Value)
        }
        let text = try string(any, what)
        if text.hasPrefix("0x") {
            guard let value = BigUInt(text.dropFirst(2), radix: 16) else { throw ToolError("\(what) is not hex") }
            return BigInt(value)
        }
        guard let value = BigInt(text, radix: 10) else { throw ToolError("\(what) is not a decimal integer") }
        return value
    }

    static func bigUInt(_ any: Any?, _ what: String) throws -> BigUInt {
        let value = try bigInt(any, what)
        guard value.sign == .plus || value == 0 else { throw ToolError("\(what) is negative") }
        return value.magnitude
    }

    static func uint64(_ any: Any?, _ what: String) throws -> UInt64 {
        guard let value = UInt64(exactly: try bigUInt(any, what)) else { throw ToolError("\(what) exceeds 64 bits") }
        return value
    }

    static func abiValue(_ type: ABIType, _ any: Any?) throws -> ABIValue {
        switch type {
        case .address: return .address(try address(any, "address"))
        case .bool:
            guard let number = any as? NSNumber, isBool(number) else { throw ToolError("bool must be true or false") }
            return .bool(number.boolValue)
        case .uint: return .uint(try bigUInt(any, "\(type)"))
        case .int: return .int(try bigInt(any, "\(type)"))
        case .fixedBytes: return .fixedBytes(try bytes(any, "\(type)"))
        case .bytes: return .bytes(try bytes(any, "bytes"))
        case .string: return .string(try string(any, "string"))
        case .array(let element), .fixedArray(let element, _):
            guard let items = any as? [Any] else { throw ToolError("\(type) must be a JSON array") }
            return .array(try items.map { try abiValue(element, $0) })
        case .tuple(let components):
            guard let items = any as? [Any], items.count == components.count else {
                throw ToolError("\(type) must be a JSON array of \(components.count)")
            }
            return .tuple(try zip(components, items).map { try abiValue($0, $1) })
        }
    }

    static func json(_ value: ABIValue) -> Any {
        switch value {
        case .address(let address): return Hex.encode(address.bytes)
        case .bool(let flag): return flag
        case .uint(let number): return String(number)
        case .int(let number): return String(number)
        case .fixedBytes(let bytes), .bytes(let bytes): return Hex.encode(bytes)
        case .string(let text): return text
        case .array(let items), .tuple(let items): return items.map(json)
        }
    }

    static func eip712Value(_ any: Any) throws -> EIP712.Value {
        switch any {
        case let number as NSNumber:
            return isBool(number) ? .bool(number.boolValue) : .number(try bigInt(number, "number"))
        case let text as String: return .string(text)
        case let items as [Any]: return .array(try items.map(eip712Value))
        case let members as [String: Any]: return .object(try members.mapValues(eip712Value))
        case is NSNull: return .null
        default: throw ToolError("unsupported JSON value")
        }
    }

    static func rlpItem(_ any: Any) throws -> RLPItem {
        if let items = any as? [Any] { return .list(try items.map(rlpItem)) }
        return .bytes(try bytes(any, "rlp byte string"))
    }

    static func json(_ item: RLPItem) -> Any {
        switch item {
        case .bytes(let bytes): return Hex.encode(bytes)
        case .list(let items): return items.map(json)
        }
    }
}
