#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic random number generator (SplitMix64) for weight initialisation, shuffling and sampling.
///
/// Training must replay exactly from a seed: the same seed gives the same initial weights, the same minibatch
/// order and the same policy samples on every platform, so a result can be reproduced and a failure replayed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    private var spareNormal: Double?

    /// A generator whose whole output is fixed by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw from [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller; the second value of each pair is kept for the next call).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = nextUniform()
        while u1 <= .leastNormalMagnitude { u1 = nextUniform() }
        let u2 = nextUniform()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }
}
