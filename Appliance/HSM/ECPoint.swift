/// Reading `CKA_EC_POINT`: PKCS#11 returns the public point as a DER OCTET STRING around the uncompressed
/// point (for secp256k1: `04 41 04‖X‖Y`, 67 bytes).
enum ECPoint {
    /// The DER encoding of the secp256k1 curve OID 1.3.132.0.10, the value of `CKA_EC_PARAMS`.
    static let secp256k1Parameters: [UInt8] = [0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a]

    /// The 65-byte uncompressed point (0x04‖X‖Y) inside a DER OCTET STRING.
    ///
    /// A bare 65-byte point (as a few modules return) is accepted as well.
    static func uncompressedPoint(fromDER der: [UInt8]) throws -> [UInt8] {
        if let point = parseOctetString(der), point.count == 65, point[0] == 0x04 {
            return point
        }
        if der.count == 65 && der[0] == 0x04 {
            return der
        }
        throw HSMError(.keyInvalid,
                       "CKA_EC_POINT is not a DER OCTET STRING holding an uncompressed point (\(der.count) bytes)",
                       hint: "use a secp256k1 key generated with CKM_EC_KEY_PAIR_GEN")
    }

    /// The contents of a DER OCTET STRING that spans exactly `der`, or nil.
    private static func parseOctetString(_ der: [UInt8]) -> [UInt8]? {
        guard der.count >= 2, der[0] == 0x04 else { return nil }
        var offset = 2
        var length = Int(der[1])
        if der[1] & 0x80 != 0 {
            // Long form: the low bits give how many length bytes follow (DER: minimal, so only for ≥ 128).
            let lengthBytes = Int(der[1] & 0x7f)
            guard (1...2).contains(lengthBytes), der.count >= 2 + lengthBytes else { return nil }
            length = 0
            for byte in der[2..<(2 + lengthBytes)] { length = length << 8 | Int(byte) }
            guard length >= 128 else { return nil }
            offset = 2 + lengthBytes
        }
        guard der.count - offset == length else { return nil }
        return Array(der[offset...])
    }
}
