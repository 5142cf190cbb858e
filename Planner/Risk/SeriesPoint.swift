import SigningPolicy

/// One observation of a series: when, and the value (a USD price for peg series).
public struct SeriesPoint: Sendable, Hashable {
    public var at: Timestamp
    public var value: Double

    public init(at: Timestamp, value: Double) {
        self.at = at
        self.value = value
    }
}
