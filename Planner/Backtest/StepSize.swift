/// The backtest's time step: hourly (the full data) or daily (the committed extract, or by choice).
public enum StepSize: String, Sendable, CaseIterable {
    case hour
    case day

    public var seconds: Int64 { self == .hour ? 3_600 : 86_400 }
}
