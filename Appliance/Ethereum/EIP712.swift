import BigInt

/// EIP-712 typed structured data hashing: `encodeType`, `hashStruct`, and the 0x1901 signing hash.
///
/// Values are checked against their declared types strictly: unknown struct types, missing or extra fields,
/// numbers out of range and fixed-size arrays of the wrong length are errors, not silently coerced.
public enum EIP712 {
    /// Values nest at most this deep (recursive struct types could otherwise recurse without bound).
    public static let maxDepth = 64

    /// `Name(type1 name1,…)` followed by every referenced struct type, sorted by name.
    public static func encodeType(_ primaryType: String, types: [String: [Field]]) throws -> String {
        guard types[primaryType] != nil else { throw EIP712Error("unknown struct type \(primaryType)") }
        var found = Set<String>()
        try collectDependencies(primaryType, types: types, into: &found)
        found.remove(primaryType)
        return try ([primaryType] + found.sorted()).map { name in
            guard let fields = types[name] else { throw EIP712Error("unknown struct type \(name)") }
            return name + "(" + fields.map { "\($0.type) \($0.name)" }.joined(separator: ",") + ")"
        }.joined()
    }

    /// keccak256(encodeType(type)).
    public static func typeHash(_ primaryType: String, types: [String: [Field]]) throws -> [UInt8] {
        Keccak256.hash(try encodeType(primaryType, types: types).utf8)
    }

    /// keccak256(typeHash ‖ encodeData(value)).
    public static func hashStruct(_ primaryType: String, _ value: Value, types: [String: [Field]]) throws -> [UInt8] {
        try hashStruct(primaryType, value, types: types, depth: 0)
    }

    private static func hashStruct(
        _ primaryType: String, _ value: Value, types: [String: [Field]], depth: Int
    ) throws -> [UInt8] {
        guard depth <= maxDepth else { throw EIP712Error("value nests deeper than \(maxDepth)") }
        guard let fields = types[primaryType] else { throw EIP712Error("unknown struct type \(primaryType)") }
        guard case .object(let members) = value else { throw EIP712Error("\(primaryType) value must be an object") }
        let declared = Set(fields.map(\.name))
        if let extra = members.keys.first(where: { !declared.contains($0) }) {
            throw EIP712Error("\(primaryType) has no field \(extra)")
        }
        var encoded = try typeHash(primaryType, types: types)
        for field in fields {
            guard let member = members[field.name] else { throw EIP712Error("\(primaryType).\(field.name) is missing") }
            encoded += try encodeField(field.type, member, types: types, depth: depth + 1)
        }
        return Keccak256.hash(encoded)
    }

    /// The 32-byte encoding of one member value of type `type`.
    private static func encodeField(_ type: String, _ value: Value, types: [String: [Field]], depth: Int) throws
        -> [UInt8]
    {
        guard depth <= maxDepth else { throw EIP712Error("value nests deeper than \(maxDepth)") }
        if types[type] != nil {
            return try hashStruct(type, value, types: types, depth: depth)
        }
        if type.hasSuffix("]"), let open = type.lastIndex(of: "[") {
            let elementType = String(type[..<open])
            let sizeText = type[type.index(after: open)..<type.index(before: type.endIndex)]
            guard case .array(let elements) = value else { throw EIP712Error("\(type) value must be an array") }
            if !sizeText.isEmpty {
                guard let size = Int(sizeText), size == elements.count else {
                    throw EIP712Error("\(type) needs exactly \(sizeText) elements, got \(elements.count)")
                }
            }
            var concatenated = [UInt8]()
            for element in elements {
                concatenated += try encodeField(elementType, element, types: types, depth: depth + 1)
            }
            return Keccak256.hash(concatenated)
        }
        switch type {
        case "string":
            guard case .string(let text) = value else { throw EIP712Error("string value must be a string") }
            return Keccak256.hash(text.utf8)
        case "bytes":
            return Keccak256.hash(try hexBytes(value, type))
        default:
            let abiType: ABIType
            do { abiType = try ABIType(parsing: type) } catch {
                throw EIP712Error("unknown type \(type)")
            }
            return try ABI.encode([abiType], [atomicValue(abiType, value)])
        }
    }

    private static func atomicValue(_ type: ABIType, _ value: Value) throws -> ABIValue {
        switch (type, value) {
        case (.address, .string(let text)):
            do { return .address(try Address(hex: text)) } catch { throw EIP712Error("bad address \(text)") }
        case (.bool, .bool(let flag)):
            return .bool(flag)
        case (.uint, _):
            let number = try integer(value, type)
            guard number.sign == .plus || number == 0 else { throw EIP712Error("\(type) value is negative") }
            return .uint(number.magnitude)
        case (.int, _):
            return .int(try integer(value, type))
        case (.fixedBytes, _):
            return .fixedBytes(try hexBytes(value, type.description))
        default:
            throw EIP712Error("value \(value) does not fit type \(type)")
        }
    }

    private static func integer(_ value: Value, _ type: ABIType) throws -> BigInt {
        switch value {
        case .number(let number):
            return number
        case .string(let text):
            let negative = text.hasPrefix("-")
            let digits = negative ? text.dropFirst() : Substring(text)
            let magnitude: BigUInt?
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
                magnitude = digits.count > 2 ? BigUInt(digits.dropFirst(2), radix: 16) : nil
            } else {
                magnitude = digits.isEmpty ? nil : BigUInt(digits, radix: 10)
            }
            guard let magnitude else { throw EIP712Error("\(type) value \"\(text)\" is not a number") }
            return negative ? -BigInt(magnitude) : BigInt(magnitude)
        default:
            throw EIP712Error("\(type) value must be a number or a numeric string")
        }
    }

    private static func hexBytes(_ value: Value, _ type: String) throws -> [UInt8] {
        guard case .string(let text) = value, let bytes = try? Hex.decode(text, requirePrefix: true) else {
            throw EIP712Error("\(type) value must be 0x-prefixed hex")
        }
        return bytes
    }

    private static func collectDependencies(_ type: String, types: [String: [Field]], into found: inout Set<String>)
        throws
    {
        guard !found.contains(type), let fields = types[type] else { return }
        found.insert(type)
        for field in fields {
            var base = Substring(field.type)
            while base.hasSuffix("]"), let open = base.lastIndex(of: "[") { base = base[..<open] }
            if types[String(base)] != nil {
                try collectDependencies(String(base), types: types, into: &found)
            }
        }
    }
}
