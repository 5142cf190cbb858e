/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS-202 SHA3-256 (0x06).
public enum Keccak256 {
    private static let rate = 136

    private static let roundConstants: [UInt64] = [
        0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
        0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
        0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
        0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
        0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
        0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
    ]

    /// Rotation offsets r[x + 5y] of the ρ step.
    private static let rotations: [UInt64] = [
        0, 1, 62, 28, 27,
        36, 44, 6, 55, 20,
        3, 10, 43, 25, 39,
        41, 45, 15, 21, 8,
        18, 2, 61, 56, 14,
    ]

    /// The 32-byte Keccak-256 digest of `data`.
    public static func hash(_ data: some Sequence<UInt8>) -> [UInt8] {
        var message = Array(data)
        // Pad: 0x01 … 0x80 to a multiple of the rate (both bits in one byte when only one byte is free).
        let padLength = rate - message.count % rate
        message.append(contentsOf: repeatElement(0, count: padLength))
        message[message.count - padLength] ^= 0x01
        message[message.count - 1] ^= 0x80

        var digest = [UInt8]()
        digest.reserveCapacity(32)
        // State (25 lanes), then scratch for the permutation: B (25 lanes) and C (5 lanes). One allocation.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 55) { lanes in
            let a = lanes.baseAddress!
            a.initialize(repeating: 0, count: 55)
            message.withUnsafeBufferPointer { buffer in
                var offset = 0
                while offset < buffer.count {
                    for lane in 0..<(rate / 8) {
                        var word: UInt64 = 0
                        for byte in 0..<8 {
                            word |= UInt64(buffer[offset + lane * 8 + byte]) << (8 * UInt64(byte))
                        }
                        a[lane] ^= word
                    }
                    permute(a, b: a + 25, c: a + 50)
                    offset += rate
                }
            }
            for lane in 0..<4 {
                for byte in 0..<8 {
                    digest.append(UInt8(truncatingIfNeeded: a[lane] >> (8 * UInt64(byte))))
                }
            }
        }
        return digest
    }

    /// Keccak-f[1600] on the 25 lanes at `a`, with scratch space `b` (25 lanes) and `c` (5 lanes).
    private static func permute(_ a: UnsafeMutablePointer<UInt64>, b: UnsafeMutablePointer<UInt64>,
                                c: UnsafeMutablePointer<UInt64>) {
        roundConstants.withUnsafeBufferPointer { constants in
            rotations.withUnsafeBufferPointer { r in
                for round in 0..<24 {
                    // θ
                    for x in 0..<5 {
                        c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20]
                    }
                    for x in 0..<5 {
                        let d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1)
                        for y in stride(from: 0, to: 25, by: 5) { a[y + x] ^= d }
                    }
                    // ρ and π
                    for x in 0..<5 {
                        for y in 0..<5 {
                            b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], r[x + 5 * y])
                        }
                    }
                    // χ
                    for y in stride(from: 0, to: 25, by: 5) {
                        for x in 0..<5 {
                            a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5])
                        }
                    }
                    // ι
                    a[0] ^= constants[round]
                }
            }
        }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        n == 0 ? x : (x << n) | (x >> (64 - n))
    }
}
