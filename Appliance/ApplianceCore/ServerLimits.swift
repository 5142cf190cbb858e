/// The bounds an `ApplianceServer` keeps whatever its peers do: how many connections it serves at once and how
/// long a peer may take.
///
/// Every limit exists so that a slow or hostile peer costs a bounded number of threads, bytes and seconds:
/// a connection beyond `maxConnections` takes the slot of the connection that has waited longest for a request
/// (at least `evictionGraceMilliseconds`; that one is closed), or, with none such or with twice `maxConnections`
/// open, is answered `BUSY` and closed; a frame started but not finished within
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
    /// How long a connection must have waited for its next request (or for the rest of a frame) before a new
    /// connection may take its slot when all are taken. A peer that sends its request as soon as it connects,
    /// as every honest client does, is never closed this way.
    public var evictionGraceMilliseconds: Int32
    /// Protocol errors audited one entry each per second (a burst of five times as many is allowed); beyond it,
    /// errors are still answered but only counted, and the counts are audited in one `protocol_errors_aggregated`
    /// entry at most once a second (`ProtocolErrorAudit`). 0 aggregates every protocol error.
    public var protocolErrorAuditsPerSecond: Int
    /// A connection that has sent more than `Connection.tolerableProtocolErrors` bad frames waits this long after
    /// each further answer before its next frame is read, so a garbage flood costs sleeping threads rather than
    /// the processor time honest requests need. 0 turns the pause off.
    public var misbehaviourPauseMilliseconds: Int32

    public init(maxConnections: Int = 32, readTimeoutMilliseconds: Int32 = 5_000,
                idleTimeoutMilliseconds: Int32 = 60_000, sendTimeoutMilliseconds: Int32 = 5_000,
                busyAuditIntervalMilliseconds: Int32 = 60_000, evictionGraceMilliseconds: Int32 = 250,
                protocolErrorAuditsPerSecond: Int = 20, misbehaviourPauseMilliseconds: Int32 = 50) {
        self.maxConnections = max(1, maxConnections)
        self.readTimeoutMilliseconds = max(1, readTimeoutMilliseconds)
        self.idleTimeoutMilliseconds = max(1, idleTimeoutMilliseconds)
        self.sendTimeoutMilliseconds = max(1, sendTimeoutMilliseconds)
        self.busyAuditIntervalMilliseconds = max(0, busyAuditIntervalMilliseconds)
        self.evictionGraceMilliseconds = max(0, evictionGraceMilliseconds)
        self.protocolErrorAuditsPerSecond = max(0, protocolErrorAuditsPerSecond)
        self.misbehaviourPauseMilliseconds = max(0, misbehaviourPauseMilliseconds)
    }

    /// Milliseconds from a number of seconds given on the command line, clamped to 1 ms … 24 h.
    public static func milliseconds(seconds: Double) -> Int32 {
        guard seconds.isFinite, seconds > 0 else { return 1 }
        return max(1, Int32(min(seconds, 86_400) * 1_000))
    }
}
