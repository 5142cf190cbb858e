import Learning

/// The seed's forecaster shape: two stacked LSTM layers, additive attention over the last one's states and a
/// dense head, on `window`-day sequences of the standardised feature vectors, predicting the change from
/// today's APY to the next week's mean (standardised). One model over all markets; each monthly fit continues
/// from the previous month's weights (warm start, earlier data only) for `epochs` passes over at most
/// `maxSamplesPerFit` training windows drawn with a fixed seed.
public final class LSTMForecaster: Forecaster {
    /// Model and training sizes; the defaults are small enough for a release build to finish a 12-month
    /// walk-forward in minutes on two cores.
    public struct Settings: Sendable {
        public var window = 30
        public var hiddenSizes = [32, 16]
        public var attentionSize = 16
        public var epochs = 4
        public var batchSize = 32
        public var learningRate = 2e-3
        public var maxSamplesPerFit = 6_000
        public var gradientClip = 1.0
        public var seed: UInt64 = 1

        public init() {}
    }

    public let settings: Settings
    private var model: SequenceModel?
    private var adam: Adam?
    private var generator: SeededGenerator
    private var featureMean: [Double] = []
    private var featureScale: [Double] = []
    private var targetScale = 1.0

    public init(settings: Settings = Settings()) {
        self.settings = settings
        generator = SeededGenerator(seed: settings.seed)
    }

    public func fit(_ data: ForecastDataset, rows: [ForecastRow]) {
        let usable = rows.filter { $0.index + 1 >= settings.window }
        guard usable.count >= settings.batchSize else { return }
        if model == nil { standardise(data, usable) }
        let features = data.featureCount
        if model == nil {
            let m = SequenceModel.lstmWithAttention(
                features: features, hiddenSizes: settings.hiddenSizes, attentionSize: settings.attentionSize,
                outputs: 1, generator: &generator)
            model = m
            adam = Adam(parameters: m.parameters, learningRate: settings.learningRate)
        }
        guard let model, let adam else { return }
        var samples = usable
        if samples.count > settings.maxSamplesPerFit {
            samples.shuffle(using: &generator)
            samples = Array(samples.prefix(settings.maxSamplesPerFit))
        }
        let loss = MeanSquaredError()
        for _ in 0..<settings.epochs {
            samples.shuffle(using: &generator)
            var start = 0
            while start + settings.batchSize <= samples.count {
                let batch = Array(samples[start..<(start + settings.batchSize)])
                start += settings.batchSize
                let targets = Matrix(rows: batch.count, columns: 1, values: batch.map { label(data, $0) })
                adam.zeroGradients()
                let evaluation = loss.evaluate(prediction: model.forward(sequence(data, batch)), target: targets)
                model.backward(evaluation.gradient)
                GradientClipping.clipByGlobalNorm(adam.parameters, maxNorm: settings.gradientClip)
                adam.step()
            }
        }
    }

    public func predict(_ data: ForecastDataset, rows: [ForecastRow]) -> [Double] {
        guard let model else { return rows.map { data.apy($0) } }
        var result: [Double] = []
        result.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(rows.count, start + 256)])
            start += batch.count
            let output = model.forward(sequence(data, batch))
            for (i, row) in batch.enumerated() { result.append(data.apy(row) + output[i, 0] * targetScale / 10_000) }
        }
        return result
    }

    private func label(_ data: ForecastDataset, _ row: ForecastRow) -> Double {
        ((data.target(row) ?? data.apy(row)) - data.apy(row)) * 10_000 / targetScale
    }

    /// Per-feature mean and standard deviation over the rows; the target's scale (change in bps).
    private func standardise(_ data: ForecastDataset, _ rows: [ForecastRow]) {
        let count = data.featureCount
        var sum = [Double](repeating: 0, count: count)
        var squares = [Double](repeating: 0, count: count)
        var seen = [Double](repeating: 0, count: count)
        for row in rows {
            for (j, v) in data.features[row.market][row.index].enumerated() where v.isFinite {
                sum[j] += v
                squares[j] += v * v
                seen[j] += 1
            }
        }
        featureMean = (0..<count).map { seen[$0] > 0 ? sum[$0] / seen[$0] : 0 }
        featureScale = (0..<count).map { j in
            guard seen[j] > 1 else { return 1 }
            let variance = squares[j] / seen[j] - featureMean[j] * featureMean[j]
            return variance > 1e-18 ? variance.squareRoot() : 1
        }
        let changes = rows.map { ((data.target($0) ?? data.apy($0)) - data.apy($0)) * 10_000 }
        let meanChange = changes.reduce(0, +) / Double(max(changes.count, 1))
        let variance = changes.reduce(0) { $0 + ($1 - meanChange) * ($1 - meanChange) } / Double(max(changes.count, 1))
        targetScale = variance > 1e-12 ? variance.squareRoot() : 1
    }

    /// The batch as `window` matrices (batch × features), oldest day first; missing values become 0 (the mean).
    private func sequence(_ data: ForecastDataset, _ batch: [ForecastRow]) -> [Matrix] {
        let count = data.featureCount
        return (0..<settings.window).map { step in
            var values = [Double](repeating: 0, count: batch.count * count)
            for (b, row) in batch.enumerated() {
                let index = max(0, row.index - settings.window + 1 + step)
                for (j, v) in data.features[row.market][index].enumerated() where v.isFinite {
                    let z = (v - featureMean[j]) / featureScale[j]
                    values[b * count + j] = min(max(z, -10), 10)
                }
            }
            return Matrix(rows: batch.count, columns: count, values: values)
        }
    }
}
