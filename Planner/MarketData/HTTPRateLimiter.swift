/// A token bucket limiting how often requests start: `requestsPerSecond` on average, up to `burst` at once.
///
/// A caller that finds the bucket empty reserves the next token (the balance goes negative) and sleeps on the
/// injected clock until it is due, so concurrent callers queue in arrival order without spinning.
public actor HTTPRateLimiter {
    public nonisolated let requestsPerSecond: Double
    public nonisolated let burst: Int
    private let clock: any HTTPClock
    private var tokens: Double
    private var lastRefill: Swift.Duration

    /// `requestsPerSecond` must be positive and finite; `burst` is at least 1. The bucket starts full.
    public init(requestsPerSecond: Double, burst: Int = 1, clock: any HTTPClock = HTTPSystemClock()) {
        precondition(requestsPerSecond.isFinite && requestsPerSecond > 0, "requestsPerSecond must be positive")
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
        self.clock = clock
        self.tokens = Double(max(1, burst))
        self.lastRefill = clock.now
    }

    /// Waits until the caller may start one request.
    public func acquire() async throws {
        let wait = reserve()
        if wait > .zero { try await clock.sleep(for: wait) }
    }

    /// Takes a token now or reserves the next one; returns how long until it is due.
    private func reserve() -> Swift.Duration {
        let now = clock.now
        let elapsed = max(0, HTTPTime.seconds(now - lastRefill))
        lastRefill = now
        tokens = min(Double(burst), tokens + elapsed * requestsPerSecond)
        tokens -= 1
        return tokens >= 0 ? .zero : HTTPTime.duration(seconds: -tokens / requestsPerSecond)
    }
}
