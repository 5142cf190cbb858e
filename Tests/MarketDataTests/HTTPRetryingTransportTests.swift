import Foundation
import MarketData
import Testing
import TestSupport

/// The retry and rate-limit layers over real sockets: a `ReplayHTTPServer` on 127.0.0.1, the URLSession transport,
/// and a test clock that records the waits instead of sleeping.
@Suite struct HTTPRetryingTransportTests {
    private func request(_ server: ReplayHTTPServer, body: String = "{}", timeout: Swift.Duration = .seconds(5))
        -> HTTPRequest
    {
        HTTPRequest(
            url: server.url(path: "graphql"), headers: ["Content-Type": "application/json"], body: Array(body.utf8),
            timeout: timeout)
    }

    private func transport(
        _ clock: HTTPTestClock, maxAttempts: Int = 4, jitter: Double = 0, limiter: HTTPRateLimiter? = nil,
        base: any HTTPTransport = HTTPURLSessionTransport()
    ) -> HTTPRetryingTransport {
        HTTPRetryingTransport(
            base: base,
            policy: HTTPRetryPolicy(maxAttempts: maxAttempts, baseDelay: .seconds(1), maxDelay: .seconds(8),
                jitter: jitter),
            rateLimiter: limiter, clock: clock, jitterSeed: 42)
    }

    @Test func tooManyRequestsWithRetryAfterIsRetriedAfterThatWaitAndSucceeds() async throws {
        let server = try ReplayHTTPServer(script: [
            .json(#"{"error":"rate limited"}"#, status: 429, headers: [("Retry-After", "7")]),
            .json(#"{"ok":true}"#),
        ])
        let clock = HTTPTestClock()
        let response = try await transport(clock).send(request(server))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        #expect(server.requests.count == 2)
        #expect(clock.sleeps == [.seconds(7)])
    }

    @Test func tooManyRequestsWithoutRetryAfterFallsBackToBackoff() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}", status: 429), .json("{}", status: 429), .json("{}")])
        let clock = HTTPTestClock()
        let response = try await transport(clock).send(request(server))
        #expect(response.status == 200)
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test func serverErrorsAreRetriedWithExponentialBackoffThenFailWithRetriesExhausted() async throws {
        let server = try ReplayHTTPServer(script: [
            .json("{}", status: 500), .json("{}", status: 502), .json("{}", status: 503), .json("{}"),
        ])
        let clock = HTTPTestClock()
        let error = await #expect(throws: HTTPError.self) {
            try await transport(clock, maxAttempts: 3).send(request(server))
        }
        #expect(error?.code == .retriesExhausted)
        #expect(error?.status == 503)
        #expect(error?.cause == .unexpectedStatus)
        #expect(error?.attempts == 3)
        #expect(server.requests.count == 3, "the fourth, successful response must not be reached")
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test func serverErrorThenSuccessReturnsTheSuccess() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}", status: 503), .json(#"{"n":1}"#)])
        let clock = HTTPTestClock()
        let response = try await transport(clock).send(request(server))
        #expect(response.status == 200)
        #expect(server.requests.count == 2)
    }

    @Test func badRequestIsNotRetried() async throws {
        let server = try ReplayHTTPServer(script: [.json(#"{"error":"bad"}"#, status: 400), .json("{}")])
        let clock = HTTPTestClock()
        let response = try await transport(clock).send(request(server))
        #expect(response.status == 400)
        #expect(server.requests.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func notFoundIsNotRetried() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}", status: 404), .json("{}")])
        let clock = HTTPTestClock()
        let response = try await transport(clock).send(request(server))
        #expect(response.status == 404)
        #expect(server.requests.count == 1)
    }

    @Test func slowResponseBeyondTheTimeoutIsATimeoutAndIsRetried() async throws {
        let server = try ReplayHTTPServer(script: [
            .json(#"{"late":true}"#, delay: .seconds(5)),
            .json(#"{"late":false}"#),
        ])
        let clock = HTTPTestClock()
        let recorder = HTTPRecordingTransport(HTTPURLSessionTransport())
        let response = try await transport(clock, base: recorder).send(request(server, timeout: .milliseconds(300)))
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"late":false}"#)
        #expect(recorder.outcomes == [.failed(.timeout), .status(200)])
        #expect(clock.sleeps == [.seconds(1)])
    }

    @Test func responsesThatAlwaysTimeOutExhaustTheRetriesWithTimeoutAsCause() async throws {
        let slow = ReplayHTTPServer.Response.json("{}", delay: .seconds(5))
        let server = try ReplayHTTPServer(script: [slow, slow])
        let clock = HTTPTestClock()
        let error = await #expect(throws: HTTPError.self) {
            try await transport(clock, maxAttempts: 2).send(request(server, timeout: .milliseconds(200)))
        }
        #expect(error?.code == .retriesExhausted)
        #expect(error?.cause == .timeout)
        #expect(server.requests.count == 2)
    }

    @Test func slowResponseBeyondTheTimeoutThrowsTimeout() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}", delay: .seconds(5))])
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPURLSessionTransport().send(request(server, timeout: .milliseconds(200)))
        }
        #expect(error?.code == .timeout)
    }

    @Test func bodyThatStallsMidwayThrowsTimeout() async throws {
        let body = Array(#"{"data":{"marketHourlySnapshots":[]}}"#.utf8)
        let server = try ReplayHTTPServer(script: [
            ReplayHTTPServer.Response(body: body, stallAfterBytes: 10, stallDuration: .seconds(5))
        ])
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPURLSessionTransport().send(request(server, timeout: .milliseconds(300)))
        }
        #expect(error?.code == .timeout)
    }

    @Test func connectionClosedBeforeTheDeclaredLengthIsATransportError() async throws {
        let server = try ReplayHTTPServer(script: [
            ReplayHTTPServer.Response(body: Array(#"{"data":"#.utf8), declaredLength: 400)
        ])
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPURLSessionTransport().send(request(server))
        }
        #expect(error?.code == .transport)
    }

    @Test func requestReachesTheServerWithMethodHeadersAndBody() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}")])
        _ = try await HTTPURLSessionTransport().send(request(server, body: #"{"query":"q"}"#))
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.target == "/graphql")
        #expect(received.headers["content-type"] == "application/json")
        #expect(received.bodyText == #"{"query":"q"}"#)
    }

    @Test func rateLimiterSpacesRequestsOnTheInjectedClock() async throws {
        let server = try ReplayHTTPServer { request, _ in .json(request.bodyText) }
        let clock = HTTPTestClock()
        let limiter = HTTPRateLimiter(requestsPerSecond: 4, burst: 1, clock: clock)
        let client = transport(clock, maxAttempts: 1, limiter: limiter)
        for i in 0..<5 {
            let response = try await client.send(request(server, body: "r\(i)"))
            #expect(String(decoding: response.body, as: UTF8.self) == "r\(i)")
        }
        #expect(server.requests.map(\.bodyText) == ["r0", "r1", "r2", "r3", "r4"])
        #expect(clock.sleeps == Array(repeating: .milliseconds(250), count: 4))
        #expect(clock.now == .seconds(1))
    }

    @Test func rateLimiterAlsoGatesRetries() async throws {
        let server = try ReplayHTTPServer(script: [.json("{}", status: 503), .json("{}")])
        let clock = HTTPTestClock()
        let limiter = HTTPRateLimiter(requestsPerSecond: 0.1, burst: 1, clock: clock)
        let response = try await transport(clock, limiter: limiter).send(request(server))
        #expect(response.status == 200)
        // Backoff of 1 s, then the limiter's remaining 9 s of its 10 s spacing.
        #expect(clock.sleeps == [.seconds(1), .seconds(9)])
    }

    @Test func rateLimiterLetsABurstThroughThenSpacesTheRest() async throws {
        let clock = HTTPTestClock()
        let limiter = HTTPRateLimiter(requestsPerSecond: 2, burst: 3, clock: clock)
        for _ in 0..<5 { try await limiter.acquire() }
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(500)])
    }

    @Test func rateLimiterQueuesConcurrentCallersWithoutOverlap() async throws {
        let clock = HTTPTestClock(advancesOnSleep: false)
        let limiter = HTTPRateLimiter(requestsPerSecond: 1, burst: 1, clock: clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 { group.addTask { try await limiter.acquire() } }
            try await group.waitForAll()
        }
        #expect(clock.sleeps.sorted() == [.seconds(1), .seconds(2)])
    }

    @Test func rateLimiterRefillsWhileIdle() async throws {
        let clock = HTTPTestClock()
        let limiter = HTTPRateLimiter(requestsPerSecond: 1, burst: 1, clock: clock)
        try await limiter.acquire()
        clock.advance(by: .seconds(5))
        try await limiter.acquire()
        #expect(clock.sleeps.isEmpty)
    }

    @Test func jitterIsReproducibleForASeedAndStaysWithinItsFraction() async throws {
        let policy = HTTPRetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: 0.5)
        func sleeps(seed: UInt64) async throws -> [Swift.Duration] {
            let clock = HTTPTestClock()
            let alwaysBusy = HTTPScriptedTransport(statuses: [503, 503, 503, 503, 503])
            let client = HTTPRetryingTransport(base: alwaysBusy, policy: policy, clock: clock, jitterSeed: seed)
            _ = try? await client.send(HTTPRequest(url: URL(string: "http://127.0.0.1:9/")!))
            return clock.sleeps
        }
        let first = try await sleeps(seed: 7)
        #expect(first == (try await sleeps(seed: 7)))
        #expect(first != (try await sleeps(seed: 8)))
        #expect(first.count == 4)
        for (attempt, wait) in first.enumerated() {
            let backoff = policy.backoff(afterAttempt: attempt + 1)
            #expect(wait <= backoff && wait >= backoff / 2, "attempt \(attempt + 1): \(wait) vs \(backoff)")
        }
    }

    @Test func backoffDoublesAndIsCappedAtMaxDelay() {
        let policy = HTTPRetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(3), jitter: 0)
        #expect((1...5).map { policy.backoff(afterAttempt: $0) } == [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3),
        ])
    }

    @Test func retryAfterIsClampedToTheMaximumAndOnlyDelaySecondsParse() {
        let policy = HTTPRetryPolicy(maxRetryAfter: .seconds(60))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3600), unitRandom: 0) == .seconds(60))
        #expect(HTTPRetryPolicy.retryAfter(header: " 12 ") == .seconds(12))
        #expect(HTTPRetryPolicy.retryAfter(header: "Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(HTTPRetryPolicy.retryAfter(header: "-5") == nil)
        #expect(HTTPRetryPolicy.retryAfter(header: "1.5") == nil)
    }

    @Test func nonHTTPURLIsRefusedWithoutSending() async throws {
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPURLSessionTransport().send(HTTPRequest(url: URL(string: "file:///etc/passwd")!))
        }
        #expect(error?.code == .invalidRequest)
    }
}
