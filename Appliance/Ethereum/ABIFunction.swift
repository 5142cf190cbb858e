/// A contract function known by its canonical signature, e.g. `rebalance((address,uint16)[],uint16,uint16,uint256)`.
public struct ABIFunction: Hashable, Sendable {
    /// The function name.
    public let name: String
    /// The argument types.
    public let inputs: [ABIType]

    /// Parses a canonical signature; anything that does not render back to the same text is refused, so the
    /// selector is always computed from canonical text.
    public init(signature: String) throws {
        guard let open = signature.firstIndex(of: "("), signature.hasSuffix(")") else {
            throw ABIError(.invalidSignature, "a signature is name(type,…)")
        }
        let name = String(signature[..<open])
        guard let first = name.utf8.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
            name.utf8.allSatisfy({ c in
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
                    || c == UInt8(ascii: "$")
            })
        else { throw ABIError(.invalidSignature, "bad function name \"\(name)\"") }
        let arguments = String(signature[open...])
        let inputs: [ABIType]
        if arguments == "()" {
            inputs = []
        } else {
            guard case .tuple(let components) = try ABIType(parsing: arguments) else {
                throw ABIError(.invalidSignature, "arguments must be a parenthesised list")
            }
            inputs = components
        }
        self.name = name
        self.inputs = inputs
        guard self.signature == signature else {
            throw ABIError(.invalidSignature, "signature is not canonical (expected \(self.signature))")
        }
    }

    /// The canonical signature text.
    public var signature: String { name + "(" + inputs.map(\.description).joined(separator: ",") + ")" }

    /// The 4-byte selector.
    public var selector: [UInt8] { ABI.selector(signature) }

    /// Selector ‖ encoded arguments.
    public func encodeCall(_ values: [ABIValue]) throws -> [UInt8] {
        try selector + ABI.encode(inputs, values)
    }

    /// The arguments of `calldata`; throws unless the selector matches and the rest decodes strictly.
    public func decodeCall(_ calldata: [UInt8]) throws -> [ABIValue] {
        guard calldata.count >= 4 else { throw ABIError(.truncated, "calldata shorter than a selector") }
        guard Array(calldata[0..<4]) == selector else {
            throw ABIError(.selectorMismatch, "calldata selector is not \(Hex.encode(selector)) (\(signature))")
        }
        return try ABI.decode(inputs, Array(calldata[4...]))
    }
}
