import Foundation

/// The seeded source of jitter for retry backoff (SplitMix64), so a test with a fixed seed sees the same waits on
/// every run. Shared across concurrent requests, hence the lock.
final class HTTPJitterGenerator: @unchecked Sendable {
    // @unchecked: `state` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A uniform value in [0, 1).
    func nextUnit() -> Double {
        lock.lock()
        defer { lock.unlock() }
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }
}
