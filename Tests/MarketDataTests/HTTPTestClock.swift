import Foundation
import MarketData

/// An `HTTPClock` that never sleeps: `sleep(for:)` records the duration and (unless told not to) moves the clock
/// forward by it, so tests assert on exactly what the retry and rate-limit layers asked to wait.
final class HTTPTestClock: HTTPClock, @unchecked Sendable {
    // @unchecked: `elapsed` and `recorded` are only touched while `lock` is held.
    private let lock = NSLock()
    private let advancesOnSleep: Bool
    private var elapsed: Swift.Duration = .zero
    private var recorded: [Swift.Duration] = []

    /// With `advancesOnSleep: false` time moves only through `advance(by:)`: for concurrent callers, whose sleeps
    /// overlap rather than add up.
    init(advancesOnSleep: Bool = true) { self.advancesOnSleep = advancesOnSleep }

    var now: Swift.Duration { lock.withLock { elapsed } }

    /// Every sleep requested, in order.
    var sleeps: [Swift.Duration] { lock.withLock { recorded } }

    func sleep(for duration: Swift.Duration) async throws {
        lock.withLock {
            recorded.append(duration)
            if advancesOnSleep { elapsed += duration }
        }
        await Task.yield()
    }

    func advance(by duration: Swift.Duration) { lock.withLock { elapsed += duration } }
}
