import SigningPolicy

/// One market hour of the early-warning data set: its features and whether a kill-switch condition follows within
/// the horizon.
public struct EarlyWarningRow: Sendable {
    public var market: String
    public var hour: Timestamp
    public var features: [Float]
    public var label: Bool

    public init(market: String, hour: Timestamp, features: [Float], label: Bool) {
        self.market = market
        self.hour = hour
        self.features = features
        self.label = label
    }
}
