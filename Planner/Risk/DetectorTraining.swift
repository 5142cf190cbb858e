import SigningPolicy

/// Which points the learned detectors fit on: the `maximumPoints` points before `from`, or, when fewer than
/// `minimumPoints` of those exist, the points being scanned themselves (an in-sample fit, fine for outliers that
/// are rare in it).
public struct DetectorTraining: Sendable, Hashable {
    public var maximumPoints: Int
    public var minimumPoints: Int

    public init(maximumPoints: Int = 90 * 24, minimumPoints: Int = 60) {
        self.maximumPoints = maximumPoints
        self.minimumPoints = minimumPoints
    }

    /// Feature vectors to fit on and the vectors to score (with their point indices), for `series` from `from`.
    func split(_ series: PriceSeries, from: Timestamp)
        -> (fit: [[Double]], scan: [(index: Int, features: [Double])])
    {
        let vectors = PegFeatures.vectors(series.points.map(\.value))
        let before = vectors.filter { series.points[$0.index].at < from }
        let scan = vectors.filter { series.points[$0.index].at >= from }
        let history = before.suffix(maximumPoints).map(\.features)
        let fit = history.count >= minimumPoints ? Array(history) : scan.map(\.features)
        return (fit, scan)
    }
}
