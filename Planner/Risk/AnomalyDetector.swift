import SigningPolicy

/// Something that flags unusual hours in a price series.
///
/// `flags` returns one raw alert per flagged point at or after `from` (earlier points are history the detector may
/// learn from or use as its rolling window); `AlertCoolDown` merges them into episodes.
public protocol AnomalyDetector: Sendable {
    /// The detector's stable name in alerts (`peg`, `zscore`, `isolation_forest`, `autoencoder`).
    var name: String { get }

    /// Raw flags for the points of `series` at or after `from`.
    func flags(in series: PriceSeries, from: Timestamp) -> [Alert]
}
