/// A secp256k1 ECDSA signature as Ethereum uses it: r, s (low-s, EIP-2) and the recovery id.
public struct EthereumSignature: Hashable, Sendable {
    /// 32 bytes, big-endian.
    public let r: [UInt8]
    /// 32 bytes, big-endian, at most n/2.
    public let s: [UInt8]
    /// The recovery id (y parity), 0 or 1.
    public let recoveryID: UInt8

    public init(r: [UInt8], s: [UInt8], recoveryID: UInt8) {
        precondition(r.count == 32 && s.count == 32 && recoveryID <= 1, "r and s are 32 bytes; recovery id is 0 or 1")
        self.r = r
        self.s = s
        self.recoveryID = recoveryID
    }

    /// r‖s‖v with v ∈ {27, 28}: the form EIP-191 messages and Safe `execTransaction` use.
    public var rsv: [UInt8] { r + s + [27 + recoveryID] }

    /// Reads a 65-byte r‖s‖v signature (v ∈ {0, 1, 27, 28}).
    public init(rsv bytes: [UInt8]) throws {
        guard bytes.count == 65 else { throw Address.ParseError(description: "a signature is 65 bytes r‖s‖v") }
        let v = bytes[64]
        guard let id: UInt8 = (v == 0 || v == 1) ? v : (v == 27 || v == 28) ? v - 27 : nil else {
            throw Address.ParseError(description: "signature v must be 27 or 28")
        }
        self.init(r: Array(bytes[0..<32]), s: Array(bytes[32..<64]), recoveryID: id)
    }
}
