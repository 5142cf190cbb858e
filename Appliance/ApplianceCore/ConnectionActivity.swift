import Wire

/// What the server knows of a connection when every slot is taken and a new one arrives (`ApplianceServer`):
/// whether its peer has sent a bad frame, and since when it has been waiting for its peer (from admission or its
/// last answer until a whole request has arrived). A connection whose request is in progress is never chosen. A
/// peer that has sent a bad frame goes first (an honest client never does); then, among connections admitted and
/// waiting for at least the grace period, the one waiting longest (a trickled frame, an idle connection). So a
/// client that sends its request as soon as it connects is not closed before its request has arrived.
final class ConnectionActivity: @unchecked Sendable {
    // @unchecked: `waiting` and `protocolErrors` are read and written only while `lock` is held.
    private let lock = Mutex()
    private let admittedAt: Int64
    private var waiting: Int64?
    private var protocolErrors = 0

    init(now: Int64 = MonotonicClock.nowMilliseconds()) {
        admittedAt = now
        waiting = now
    }

    /// A whole request has arrived: the connection is working, not waiting.
    func requestStarted() { lock.withLock { waiting = nil } }

    /// The answer is written: the connection waits for the peer again from now.
    func requestAnswered(now: Int64 = MonotonicClock.nowMilliseconds()) { lock.withLock { waiting = now } }

    /// The peer sent a frame that was a protocol error.
    func protocolError() { lock.withLock { protocolErrors += 1 } }

    /// Protocol errors the peer has sent on this connection.
    var protocolErrorCount: Int { lock.withLock { protocolErrors } }

    /// The order in which connections give up their slot (smallest first), or nil if this one may not be closed.
    func evictionRank(now: Int64, graceMilliseconds: Int64) -> (misbehaved: Int, waitingSince: Int64)? {
        lock.withLock {
            guard let waiting else { return nil }
            if protocolErrors > 0 { return (0, waiting) }
            guard now - admittedAt >= graceMilliseconds, now - waiting >= graceMilliseconds else { return nil }
            return (1, waiting)
        }
    }
}
