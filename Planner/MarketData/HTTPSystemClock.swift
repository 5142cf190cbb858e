/// The real monotonic clock (`ContinuousClock`), for production use of the retry and rate-limit layers.
public struct HTTPSystemClock: HTTPClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Swift.Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Swift.Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}
