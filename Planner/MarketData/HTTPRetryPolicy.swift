import Foundation

/// When and how long to wait before repeating a request: exponential backoff with jitter, a cap on attempts, and
/// `Retry-After` honoured on 429.
///
/// Retried: 429, every 5xx, timeouts and broken connections. Never retried: any other status (a 400 will not get
/// better by asking again). The clients only send reads (GraphQL queries, `eth_call`), so repeating is safe.
public struct HTTPRetryPolicy: Hashable, Sendable {
    /// Total attempts including the first; 1 means never retry.
    public var maxAttempts: Int
    /// The wait after the first failed attempt, before jitter; it doubles after each further failure.
    public var baseDelay: Swift.Duration
    /// The backoff never exceeds this, before jitter.
    public var maxDelay: Swift.Duration
    /// The fraction of each backoff removed at random: 0 waits exactly the backoff, 0.5 waits 50–100 % of it.
    public var jitter: Double
    /// A `Retry-After` longer than this is clamped to it, so a server cannot park the planner indefinitely.
    public var maxRetryAfter: Swift.Duration

    public init(
        maxAttempts: Int = 4,
        baseDelay: Swift.Duration = .milliseconds(500),
        maxDelay: Swift.Duration = .seconds(30),
        jitter: Double = 0.5,
        maxRetryAfter: Swift.Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = max(.zero, maxDelay)
        self.jitter = jitter.isFinite ? min(1, max(0, jitter)) : 0
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// A policy that sends once and never retries.
    public static let never = HTTPRetryPolicy(maxAttempts: 1)

    /// Whether a response with this status is worth repeating.
    public static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// Whether a failure without a response is worth repeating.
    public static func isRetryable(_ code: HTTPError.Code) -> Bool { code == .timeout || code == .transport }

    /// The backoff after failed attempt number `attempt` (1-based), before jitter: `baseDelay · 2^(attempt−1)`,
    /// capped at `maxDelay`.
    public func backoff(afterAttempt attempt: Int) -> Swift.Duration {
        let exponent = min(max(attempt - 1, 0), 62)
        let seconds = HTTPTime.seconds(baseDelay) * Double(sign: .plus, exponent: exponent, significand: 1)
        return min(maxDelay, HTTPTime.duration(seconds: min(seconds, HTTPTime.seconds(maxDelay))))
    }

    /// The wait after failed attempt `attempt`: the server's `Retry-After` (clamped) when it sent one, otherwise
    /// the backoff with `jitter` of it removed according to `unitRandom` in [0, 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Swift.Duration?, unitRandom: Double) -> Swift.Duration {
        if let retryAfter { return min(max(.zero, retryAfter), maxRetryAfter) }
        let backoff = HTTPTime.seconds(self.backoff(afterAttempt: attempt))
        let u = unitRandom.isFinite ? min(max(unitRandom, 0), 1) : 0
        return HTTPTime.duration(seconds: backoff * (1 - jitter * u))
    }

    /// Parses a `Retry-After` header in its delay-seconds form (`"120"`); the HTTP-date form and anything else give
    /// nil, and the caller falls back to backoff.
    public static func retryAfter(header value: String?) -> Swift.Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.count <= 9,
            text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let seconds = Int64(text)
        else { return nil }
        return .seconds(seconds)
    }
}
