import SigningPolicy

/// Flags points whose autoencoder reconstruction error exceeds `threshold` while the price is outside the coin's
/// safe band.
///
/// The autoencoder (`Autoencoder`, seeded) is trained on `PegFeatures` of the training points (`DetectorTraining`,
/// at most `maximumTrainingRows` of them, evenly thinned). `threshold` is the seed's 0.1 mean squared error, in the
/// features' units of 1 %; `critical` above 1.0. The safe-band gate is the same as the isolation forest's.
public struct AutoencoderDetector: AnomalyDetector {
    public var threshold: Double
    public var training: DetectorTraining
    public var maximumTrainingRows: Int
    public var epochs: Int
    public var seed: UInt64

    public init(threshold: Double = 0.1, training: DetectorTraining = DetectorTraining(),
                maximumTrainingRows: Int = 1_000, epochs: Int = 60, seed: UInt64 = 11) {
        self.threshold = threshold
        self.training = training
        self.maximumTrainingRows = maximumTrainingRows
        self.epochs = epochs
        self.seed = seed
    }

    public var name: String { "autoencoder" }

    public func flags(in series: PriceSeries, from: Timestamp) -> [Alert] {
        let (fit, scan) = training.split(series, from: from)
        guard !fit.isEmpty, !scan.isEmpty else { return [] }
        let safe = PegThreshold.forCoin(series.coin).safe
        let candidates = scan.filter { !safe.contains(series.points[$0.index].value) }
        guard !candidates.isEmpty else { return [] }
        let stride = max(1, fit.count / maximumTrainingRows)
        let rows = Swift.stride(from: 0, to: fit.count, by: stride).map { fit[$0] }
        let model = Autoencoder(rows: rows, epochs: epochs, seed: seed)
        let errors = model.reconstructionErrors(candidates.map(\.features))
        var result: [Alert] = []
        for (candidate, error) in zip(candidates, errors) where error > threshold {
            let point = series.points[candidate.index]
            let rounded = (error * 1_000).rounded() / 1_000
            result.append(Alert(at: point.at, market: series.market, detector: name,
                                severity: error > 1.0 ? .critical : .warning,
                                message: "\(series.coin) at \(PegMonitor.format(point.value)) "
                                    + "(\(series.source.rawValue)): reconstruction error \(rounded)"))
        }
        return result
    }
}
