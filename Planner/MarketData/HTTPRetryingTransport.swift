import Foundation

/// Wraps a transport with a retry policy and an optional rate limit: every attempt first waits for the rate
/// limiter, then retryable failures (429, 5xx, timeouts, broken connections) are repeated after a backoff slept on
/// the injected clock, until the policy's attempts run out.
///
/// Responses with any other status are returned as they are, for the client to judge; when attempts run out it
/// throws `HTTPError(.retriesExhausted)` carrying the last status or failure.
public struct HTTPRetryingTransport: HTTPTransport {
    public let base: any HTTPTransport
    public let policy: HTTPRetryPolicy
    public let rateLimiter: HTTPRateLimiter?
    private let clock: any HTTPClock
    private let jitter: HTTPJitterGenerator

    /// `jitterSeed` fixes the backoff jitter sequence (tests); by default it is random.
    public init(
        base: any HTTPTransport,
        policy: HTTPRetryPolicy = HTTPRetryPolicy(),
        rateLimiter: HTTPRateLimiter? = nil,
        clock: any HTTPClock = HTTPSystemClock(),
        jitterSeed: UInt64 = UInt64.random(in: .min ... .max)
    ) {
        self.base = base
        self.policy = policy
        self.rateLimiter = rateLimiter
        self.clock = clock
        self.jitter = HTTPJitterGenerator(seed: jitterSeed)
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            if let rateLimiter { try await rateLimiter.acquire() }
            let failure: HTTPError
            var retryAfter: Swift.Duration? = nil
            do {
                let response = try await base.send(request)
                guard HTTPRetryPolicy.isRetryable(status: response.status) else { return response }
                failure = HTTPError(
                    .unexpectedStatus, "HTTP \(response.status) from \(request.url.host ?? "?")",
                    status: response.status)
                if response.status == 429 {
                    retryAfter = HTTPRetryPolicy.retryAfter(header: response.header("Retry-After"))
                }
            } catch let error as HTTPError where HTTPRetryPolicy.isRetryable(error.code) {
                failure = error
            }
            guard attempt < policy.maxAttempts else {
                throw HTTPError(
                    .retriesExhausted, "gave up after \(attempt) attempts; last: \(failure.description)",
                    status: failure.status, cause: failure.code, attempts: attempt)
            }
            try Task.checkCancellation()
            let wait = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, unitRandom: jitter.nextUnit())
            try await clock.sleep(for: wait)
        }
    }
}
