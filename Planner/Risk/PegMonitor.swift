import SigningPolicy

/// The seed's peg monitor: flags every hour a stablecoin trades outside its warning band (`warning`) or beyond its
/// kill-switch level (`critical`), with the thresholds of `PegThreshold.forCoin`.
public struct PegMonitor: AnomalyDetector {
    public var name: String { "peg" }

    public init() {}

    public func flags(in series: PriceSeries, from: Timestamp) -> [Alert] {
        let threshold = PegThreshold.forCoin(series.coin)
        var result: [Alert] = []
        for point in series.points where point.at >= from {
            guard let severity = threshold.severity(of: point.value) else { continue }
            let level = severity == .critical ? "kill-switch level \(threshold.killBelow)" :
                "warning band \(threshold.warning.lowerBound)–\(threshold.warning.upperBound)"
            let message = "\(series.coin) at \(PegMonitor.format(point.value)) (\(series.source.rawValue)) "
                + "beyond the \(level)" + (threshold.isDefault ? " (USDC thresholds: no seed row)" : "")
            result.append(Alert(at: point.at, market: series.market, detector: name, severity: severity,
                                message: message))
        }
        return result
    }

    static func format(_ price: Double) -> String {
        let scaled = (price * 10_000).rounded() / 10_000
        return "\(scaled)"
    }
}
