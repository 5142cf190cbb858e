/// Training throughput of the forecaster's model shape: full training steps (forward, MSE, backward through time,
/// Adam) on synthetic batches, reported as sequences per second.
///
/// A benchmark, not a test: `planner bench` calls it and prints the figure; nothing asserts on it. The clock is a
/// parameter so the learning core stays free of I/O and a caller can time it as it likes.
public struct LSTMBenchmark: Sendable {
    /// Steps per sequence.
    public var sequenceLength: Int
    /// Features per step.
    public var features: Int
    /// Widths of the stacked LSTM layers.
    public var hiddenSizes: [Int]
    /// Width of the additive attention's scoring layer.
    public var attentionSize: Int
    /// Sequences per training step.
    public var batchSize: Int
    /// Timed training steps (after one untimed warm-up step).
    public var steps: Int
    /// Seed for the weights and the synthetic data.
    public var seed: UInt64

    /// The seed forecaster's shape: 30 steps of 32 features, LSTM 128 then 64, attention, dense head to 1 output.
    public init(
        sequenceLength: Int = 30, features: Int = 32, hiddenSizes: [Int] = [128, 64], attentionSize: Int = 64,
        batchSize: Int = 32, steps: Int = 20, seed: UInt64 = 1
    ) {
        precondition(sequenceLength > 0 && features > 0 && batchSize > 0 && steps > 0, "Benchmark sizes")
        self.sequenceLength = sequenceLength
        self.features = features
        self.hiddenSizes = hiddenSizes
        self.attentionSize = attentionSize
        self.batchSize = batchSize
        self.steps = steps
        self.seed = seed
    }

    /// A one-line description of the model and batch, for reports.
    public var shapeDescription: String {
        "T=\(sequenceLength) batch=\(batchSize) features=\(features) "
            + "LSTM \(hiddenSizes.map(String.init).joined(separator: "→")) attention \(attentionSize) dense→1"
    }

    /// Sequences trained per second, timed on `clock`.
    public func trainingSamplesPerSecond<C: Clock>(clock: C) -> Double where C.Duration == Duration {
        var generator = SeededGenerator(seed: seed)
        let model = SequenceModel.lstmWithAttention(
            features: features, hiddenSizes: hiddenSizes, attentionSize: attentionSize, outputs: 1,
            generator: &generator
        )
        let adam = Adam(parameters: model.parameters)
        let loss = MeanSquaredError()
        let sequence = (0..<sequenceLength).map { _ in
            WeightInitialization.uniform(rows: batchSize, columns: features, limit: 1, using: &generator)
        }
        let target = WeightInitialization.uniform(rows: batchSize, columns: 1, limit: 1, using: &generator)
        func trainStep() {
            adam.zeroGradients()
            let evaluation = loss.evaluate(prediction: model.forward(sequence), target: target)
            model.backward(evaluation.gradient)
            adam.step()
        }
        trainStep()
        let elapsed = clock.measure {
            for _ in 0..<steps { trainStep() }
        }
        let (seconds, attoseconds) = elapsed.components
        let total = Double(seconds) + Double(attoseconds) * 1e-18
        return Double(steps * batchSize) / max(total, 1e-9)
    }

    /// Sequences trained per second, timed on the continuous clock.
    public func trainingSamplesPerSecond() -> Double {
        trainingSamplesPerSecond(clock: ContinuousClock())
    }

    /// Sequences trained per second for the given shape (defaults: the seed forecaster).
    public static func trainingSamplesPerSecond(
        sequenceLength: Int = 30, features: Int = 32, hiddenSizes: [Int] = [128, 64], attentionSize: Int = 64,
        batchSize: Int = 32, steps: Int = 20, seed: UInt64 = 1
    ) -> Double {
        LSTMBenchmark(
            sequenceLength: sequenceLength, features: features, hiddenSizes: hiddenSizes,
            attentionSize: attentionSize, batchSize: batchSize, steps: steps, seed: seed
        ).trainingSamplesPerSecond()
    }
}
