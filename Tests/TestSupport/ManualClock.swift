import ApplianceCore
import Wire
import SigningPolicy

/// A clock tests move by hand (swift-nio's `EmbeddedEventLoop.advanceTime`): cooldowns, windows and delays are
/// tested by advancing it, never by sleeping.
public final class ManualClock: @unchecked Sendable {
    // @unchecked: `current` is only touched under `lock`.
    private let lock = Mutex()
    private var current: Timestamp

    public init(_ start: Timestamp = Timestamp(rfc3339: "2026-11-27T09:00:00Z")!) { current = start }

    public var now: Timestamp { lock.withLock { current } }

    public func advance(by duration: Duration) { lock.withLock { current = current + duration } }

    public func set(_ time: Timestamp) { lock.withLock { current = time } }

    /// The closure form the engine takes.
    public var function: @Sendable () -> Timestamp { { [self] in now } }
}
