import SigningPolicy

/// A risk alert raised about a market (the seed's `risk_alerts` table).
public struct RiskAlert: Sendable, Hashable {
    public enum Severity: String, Sendable, CaseIterable {
        case info, warning, critical
    }

    public var timestamp: Timestamp
    public var severity: Severity
    public var protocolID: String
    /// What raised it, for example `peg_deviation` or `zscore`.
    public var alertType: String
    public var message: String
    public var isResolved: Bool

    public init(timestamp: Timestamp, severity: Severity, protocolID: String, alertType: String, message: String,
                isResolved: Bool = false) {
        self.timestamp = timestamp
        self.severity = severity
        self.protocolID = protocolID
        self.alertType = alertType
        self.message = message
        self.isResolved = isResolved
    }
}
