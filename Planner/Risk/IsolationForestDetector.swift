import SigningPolicy

/// Flags points whose isolation-forest score exceeds `threshold` while the price is outside the coin's safe band.
///
/// The forest (100 trees, ψ = 256, seeded) is fitted on `PegFeatures` of the training points (`DetectorTraining`).
/// The score alone ranks points but has no absolute meaning: in a calm quarter the calmest outlier still scores
/// high. The safe-band gate (seed §3.1.3, ±0.5 % for USDC) keeps it to moves that matter; the seed's own cut
/// (`score_samples < −0.5`, i.e. score > 0.5) flags half of ordinary points, so 0.6 is used. `critical` above 0.75.
public struct IsolationForestDetector: AnomalyDetector {
    public var threshold: Double
    public var training: DetectorTraining
    public var seed: UInt64

    public init(threshold: Double = 0.6, training: DetectorTraining = DetectorTraining(), seed: UInt64 = 7) {
        self.threshold = threshold
        self.training = training
        self.seed = seed
    }

    public var name: String { "isolation_forest" }

    public func flags(in series: PriceSeries, from: Timestamp) -> [Alert] {
        let (fit, scan) = training.split(series, from: from)
        guard !fit.isEmpty, !scan.isEmpty else { return [] }
        let forest = IsolationForest(rows: fit, seed: seed)
        let safe = PegThreshold.forCoin(series.coin).safe
        var result: [Alert] = []
        for (index, features) in scan {
            let point = series.points[index]
            guard !safe.contains(point.value) else { continue }
            let score = forest.score(features)
            guard score > threshold else { continue }
            let rounded = (score * 100).rounded() / 100
            result.append(Alert(at: point.at, market: series.market, detector: name,
                                severity: score > 0.75 ? .critical : .warning,
                                message: "\(series.coin) at \(PegMonitor.format(point.value)) "
                                    + "(\(series.source.rawValue)): isolation score \(rounded)"))
        }
        return result
    }
}
