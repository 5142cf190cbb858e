/// The bounds an `ApplianceServer` keeps whatever its peers do: how many connections it serves at once and how
/// long a peer may take.
///
/// Every limit exists so that a slow or hostile peer costs a bounded number of threads, bytes and seconds:
/// a connection beyond `maxConnections` is answered `BUSY` and closed; a frame started but not finished within
/// `readTimeoutMilliseconds` closes the connection (the deadline runs from the frame's first byte, so trickling
/// one byte at a time does not extend it); a connection with no request for `idleTimeoutMilliseconds` is closed;
/// a peer that stops reading its responses is cut off after `sendTimeoutMilliseconds`.
public struct ServerLimits: Sendable, Equatable {
    /// Connection handlers (threads) at most; more connections get `BUSY`.
    public var maxConnections: Int
    /// Time allowed to deliver one whole frame once its first byte has arrived.
    public var readTimeoutMilliseconds: Int32
    /// Time allowed between requests (from the last response to the next frame's first byte).
    public var idleTimeoutMilliseconds: Int32
    /// Time a blocked write of a response may take before the connection is dropped.
    public var sendTimeoutMilliseconds: Int32
    /// `BUSY` refusals are audited in aggregate: at most one `connection_busy` entry per interval, carrying how
    /// many connections were refused since the previous one (the rest is flushed at shutdown).
    public var busyAuditIntervalMilliseconds: Int32

    public init(maxConnections: Int = 32, readTimeoutMilliseconds: Int32 = 5_000,
                idleTimeoutMilliseconds: Int32 = 60_000, sendTimeoutMilliseconds: Int32 = 5_000,
                busyAuditIntervalMilliseconds: Int32 = 60_000) {
        self.maxConnections = max(1, maxConnections)
        self.readTimeoutMilliseconds = max(1, readTimeoutMilliseconds)
        self.idleTimeoutMilliseconds = max(1, idleTimeoutMilliseconds)
        self.sendTimeoutMilliseconds = max(1, sendTimeoutMilliseconds)
        self.busyAuditIntervalMilliseconds = max(0, busyAuditIntervalMilliseconds)
    }

    /// Milliseconds from a number of seconds given on the command line, clamped to 1 ms … 24 h.
    public static func milliseconds(seconds: Double) -> Int32 {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int32(min(seconds, 86_400) * 1_000))
    }
}
