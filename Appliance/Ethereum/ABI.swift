import BigInt

/// The Solidity contract ABI encoding (head/tail layout, 32-byte words) and function selectors.
///
/// Decoding is strict: every word must be a value of its type (zero high bits, correct sign extension, zero
/// padding), and the layout must be exactly the one `encode` produces — offsets point where the next tail starts,
/// nothing overlaps, nothing trails. So each value list has one encoding, and hostile input cannot make the decoder
/// allocate more than a small multiple of its own size.
public enum ABI {
    /// The 4-byte selector: the first bytes of keccak256 of the canonical signature text.
    public static func selector(_ signature: String) -> [UInt8] {
        Array(Keccak256.hash(signature.utf8).prefix(4))
    }

    /// Encodes `values` as the tuple of `types` (a function's arguments without the selector).
    public static func encode(_ types: [ABIType], _ values: [ABIValue]) throws -> [UInt8] {
        for type in types { try type.validate() }
        var out = [UInt8]()
        try encodeTuple(types, values, into: &out)
        return out
    }

    /// Decodes data that must be exactly the encoding of a tuple of `types`.
    public static func decode(_ types: [ABIType], _ data: [UInt8]) throws -> [ABIValue] {
        for type in types { try type.validate() }
        let (values, end) = try decodeTuple(types, data, at: 0)
        guard end == data.count else {
            throw ABIError(.nonCanonical, "\(data.count - end) bytes follow the encoding")
        }
        return values
    }

    /// Selector ‖ encoded arguments for a canonical signature such as `transfer(address,uint256)`.
    public static func encodeCall(signature: String, values: [ABIValue]) throws -> [UInt8] {
        try ABIFunction(signature: signature).encodeCall(values)
    }

    /// The arguments of calldata for `signature`; throws unless the selector matches and the rest decodes strictly.
    public static func decodeCall(signature: String, calldata: [UInt8]) throws -> [ABIValue] {
        try ABIFunction(signature: signature).decodeCall(calldata)
    }

    // MARK: Encoding

    private static func encodeTuple(_ types: [ABIType], _ values: [ABIValue], into out: inout [UInt8]) throws {
        guard types.count == values.count else {
            throw ABIError(.countMismatch, "\(types.count) types but \(values.count) values")
        }
        let headSize = types.reduce(0) { $0 + $1.headSize }
        var head = [UInt8]()
        head.reserveCapacity(headSize)
        var tail = [UInt8]()
        for (type, value) in zip(types, values) {
            if type.isDynamic {
                head.append(contentsOf: word(BigUInt(headSize + tail.count)))
                try encodeValue(type, value, into: &tail)
            } else {
                try encodeValue(type, value, into: &head)
            }
        }
        out.append(contentsOf: head)
        out.append(contentsOf: tail)
    }

    private static func encodeValue(_ type: ABIType, _ value: ABIValue, into out: inout [UInt8]) throws {
        switch (type, value) {
        case (.address, .address(let address)):
            out.append(contentsOf: [UInt8](repeating: 0, count: 12) + address.bytes)
        case (.bool, .bool(let flag)):
            out.append(contentsOf: word(flag ? 1 : 0))
        case (.uint(let bits), .uint(let number)):
            guard number.bitWidth <= bits else {
                throw ABIError(.valueOutOfRange, "\(number) does not fit in uint\(bits)")
            }
            out.append(contentsOf: word(number))
        case (.int(let bits), .int(let number)):
            let limit = BigInt(1) << (bits - 1)
            guard number >= -limit, number < limit else {
                throw ABIError(.valueOutOfRange, "\(number) does not fit in int\(bits)")
            }
            let twos = number >= 0 ? number.magnitude : (BigUInt(1) << 256) - number.magnitude
            out.append(contentsOf: word(twos))
        case (.fixedBytes(let n), .fixedBytes(let bytes)):
            guard bytes.count == n else {
                throw ABIError(.valueOutOfRange, "bytes\(n) needs \(n) bytes, got \(bytes.count)")
            }
            out.append(contentsOf: bytes + [UInt8](repeating: 0, count: 32 - n))
        case (.bytes, .bytes(let bytes)):
            appendDynamicBytes(bytes, into: &out)
        case (.string, .string(let text)):
            appendDynamicBytes(Array(text.utf8), into: &out)
        case (.array(let element), .array(let elements)):
            out.append(contentsOf: word(BigUInt(elements.count)))
            try encodeTuple([ABIType](repeating: element, count: elements.count), elements, into: &out)
        case (.fixedArray(let element, let k), .array(let elements)):
            guard elements.count == k else {
                throw ABIError(.countMismatch, "\(type) needs \(k) elements, got \(elements.count)")
            }
            try encodeTuple([ABIType](repeating: element, count: k), elements, into: &out)
        case (.tuple(let components), .tuple(let elements)):
            try encodeTuple(components, elements, into: &out)
        default:
            throw ABIError(.valueDoesNotMatchType, "value \(value) is not a \(type)")
        }
    }

    private static func appendDynamicBytes(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: word(BigUInt(bytes.count)))
        out.append(contentsOf: bytes)
        let padding = (32 - bytes.count % 32) % 32
        out.append(contentsOf: [UInt8](repeating: 0, count: padding))
    }

    private static func word(_ value: BigUInt) -> [UInt8] { value.bigEndianBytes(width: 32) }

    // MARK: Decoding

    /// Decodes a tuple whose encoding starts at `start`; returns the values and where the encoding ends.
    private static func decodeTuple(_ types: [ABIType], _ data: [UInt8], at start: Int) throws -> ([ABIValue], Int) {
        var headSize = 0
        for type in types {
            headSize += type.headSize
            guard headSize <= data.count - start else { throw ABIError(.truncated, "data too short for the head") }
        }
        var values = [ABIValue]()
        values.reserveCapacity(types.count)
        var headPosition = start
        var tailPosition = start + headSize
        for type in types {
            if type.isDynamic {
                let offset = try readSize(data, at: headPosition, what: "offset")
                guard offset == tailPosition - start else {
                    throw ABIError(
                        .invalidOffset, "offset \(offset) is not where the next tail starts (\(tailPosition - start))")
                }
                let (value, end) = try decodeValue(type, data, at: tailPosition)
                values.append(value)
                tailPosition = end
            } else {
                let (value, _) = try decodeValue(type, data, at: headPosition)
                values.append(value)
            }
            headPosition += type.headSize
        }
        return (values, tailPosition)
    }

    /// Decodes one value whose encoding starts at `position`; returns it and where its encoding ends.
    private static func decodeValue(_ type: ABIType, _ data: [UInt8], at position: Int) throws -> (ABIValue, Int) {
        switch type {
        case .address:
            let w = try readWord(data, at: position)
            guard w[0..<12].allSatisfy({ $0 == 0 }) else {
                throw ABIError(.valueOutOfRange, "address has nonzero high bytes")
            }
            return (.address(Address(uncheckedBytes: Array(w[12...]))), position + 32)
        case .bool:
            let w = try readWord(data, at: position)
            guard w[0..<31].allSatisfy({ $0 == 0 }), w[31] <= 1 else {
                throw ABIError(.valueOutOfRange, "bool is not 0 or 1")
            }
            return (.bool(w[31] == 1), position + 32)
        case .uint(let bits):
            let w = try readWord(data, at: position)
            let highBytes = (256 - bits) / 8
            guard w[0..<highBytes].allSatisfy({ $0 == 0 }) else {
                throw ABIError(.valueOutOfRange, "uint\(bits) has nonzero high bits")
            }
            return (.uint(BigUInt(bytesBigEndian: w)), position + 32)
        case .int(let bits):
            let w = try readWord(data, at: position)
            let highBytes = (256 - bits) / 8
            let negative = w[highBytes] & 0x80 != 0
            let fill: UInt8 = negative ? 0xff : 0x00
            guard w[0..<highBytes].allSatisfy({ $0 == fill }) else {
                throw ABIError(.valueOutOfRange, "int\(bits) is not sign-extended")
            }
            let unsigned = BigUInt(bytesBigEndian: w)
            let value = negative ? -BigInt((BigUInt(1) << 256) - unsigned) : BigInt(unsigned)
            return (.int(value), position + 32)
        case .fixedBytes(let n):
            let w = try readWord(data, at: position)
            guard w[n...].allSatisfy({ $0 == 0 }) else {
                throw ABIError(.invalidPadding, "bytes\(n) padding is not zero")
            }
            return (.fixedBytes(Array(w[0..<n])), position + 32)
        case .bytes:
            let (bytes, end) = try readDynamicBytes(data, at: position)
            return (.bytes(bytes), end)
        case .string:
            let (bytes, end) = try readDynamicBytes(data, at: position)
            // Decoding repairs invalid sequences with U+FFFD, so valid UTF-8 is exactly what round-trips.
            let text = String(decoding: bytes, as: UTF8.self)
            guard Array(text.utf8) == bytes else {
                throw ABIError(.invalidUTF8, "string is not valid UTF-8")
            }
            return (.string(text), end)
        case .array(let element):
            let count = try readSize(data, at: position, what: "array length")
            let start = position + 32
            // Every element takes at least 32 bytes of head, so the data bounds the count before any allocation.
            guard count <= (data.count - start) / max(element.headSize, 32) else {
                throw ABIError(.invalidLength, "array length \(count) exceeds the data")
            }
            let (values, end) = try decodeTuple([ABIType](repeating: element, count: count), data, at: start)
            return (.array(values), end)
        case .fixedArray(let element, let k):
            guard k <= (data.count - position) / max(element.headSize, 32) else {
                throw ABIError(.truncated, "data too short for \(type)")
            }
            let (values, end) = try decodeTuple([ABIType](repeating: element, count: k), data, at: position)
            return (.array(values), end)
        case .tuple(let components):
            let (values, end) = try decodeTuple(components, data, at: position)
            return (.tuple(values), end)
        }
    }

    /// The 32 bytes at `position`, indexed from zero.
    private static func readWord(_ data: [UInt8], at position: Int) throws -> [UInt8] {
        guard position <= data.count, data.count - position >= 32 else {
            throw ABIError(.truncated, "data ends inside a word")
        }
        return Array(data[position..<position + 32])
    }

    /// A word holding an offset or a length: must fit comfortably in an Int and within the data.
    private static func readSize(_ data: [UInt8], at position: Int, what: String) throws -> Int {
        let w = try readWord(data, at: position)
        guard w[0..<28].allSatisfy({ $0 == 0 }) else {
            throw ABIError(what == "offset" ? .invalidOffset : .invalidLength, "\(what) is too large")
        }
        let value = w[28...].reduce(0) { $0 << 8 | Int($1) }
        guard value <= data.count else {
            throw ABIError(what == "offset" ? .invalidOffset : .invalidLength, "\(what) \(value) exceeds the data")
        }
        return value
    }

    private static func readDynamicBytes(_ data: [UInt8], at position: Int) throws -> ([UInt8], Int) {
        let length = try readSize(data, at: position, what: "length")
        let start = position + 32
        let padded = (length + 31) / 32 * 32
        guard padded <= data.count - start else { throw ABIError(.truncated, "data too short for \(length) bytes") }
        guard data[(start + length)..<(start + padded)].allSatisfy({ $0 == 0 }) else {
            throw ABIError(.invalidPadding, "padding after dynamic bytes is not zero")
        }
        return (Array(data[start..<start + length]), start + padded)
    }
}
