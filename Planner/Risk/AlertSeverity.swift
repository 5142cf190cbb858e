/// How bad an alert is: `warning` asks for attention, `critical` stands for a kill-switch condition.
public enum AlertSeverity: String, Sendable, Hashable, Comparable, CaseIterable {
    case warning
    case critical

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        lhs == .warning && rhs == .critical
    }
}
