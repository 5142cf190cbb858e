import SigningPolicy

/// One alert, as `planner anomalies --json` prints it: when, which market, which detector, how bad, and why.
///
/// After de-duplication an alert stands for one episode: `at` is its first flagged hour, `until` its last, and
/// `severity` the worst seen in it.
public struct Alert: Sendable, Hashable {
    public var at: Timestamp
    public var market: String
    public var detector: String
    public var severity: AlertSeverity
    public var message: String
    /// The last flagged hour of the episode (equal to `at` for a raw flag).
    public var until: Timestamp
    /// The flags merged into this alert.
    public var flags: Int

    public init(at: Timestamp, market: String, detector: String, severity: AlertSeverity, message: String) {
        self.at = at
        self.market = market
        self.detector = detector
        self.severity = severity
        self.message = message
        self.until = at
        self.flags = 1
    }
}
