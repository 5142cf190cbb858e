/// Monotonic time and sleeping, injected so retry backoff and rate limiting are tested by reading what a fake clock
/// was asked to wait, never by waiting.
public protocol HTTPClock: Sendable {
    /// Time since an arbitrary fixed origin; never decreases.
    var now: Swift.Duration { get }
    /// Suspends for `duration` (a fake clock may just advance itself). Throws `CancellationError` if cancelled.
    func sleep(for duration: Swift.Duration) async throws
}
