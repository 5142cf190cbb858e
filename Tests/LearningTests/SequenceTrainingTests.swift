import Learning
import Testing

/// Recurrent models learn small sequence tasks that need memory across steps.
@Suite struct SequenceTrainingTests {
    /// A batch of sequences of uniform draws in [−1, 1] (one feature) and, per sequence, the mean of its steps.
    private func meanTask(steps: Int, batch: Int, _ generator: inout SeededGenerator) -> ([Matrix], Matrix) {
        let sequence = (0..<steps).map { _ in
            Matrix(rows: batch, columns: 1, values: (0..<batch).map { _ in 2 * generator.nextUniform() - 1 })
        }
        let target = sequence.reduce(Matrix(rows: batch, columns: 1)) { $0 + $1 } * (1 / Double(steps))
        return (sequence, target)
    }

    private func train(_ model: SequenceModel, steps: Int, seed: UInt64) -> (initial: Double, final: Double) {
        var generator = SeededGenerator(seed: seed)
        let adam = Adam(parameters: model.parameters, learningRate: 0.01)
        let loss = MeanSquaredError()
        let (testSequence, testTarget) = meanTask(steps: 6, batch: 64, &generator)
        let initial = loss.evaluate(prediction: model.forward(testSequence), target: testTarget).value
        for _ in 0..<steps {
            let (sequence, target) = meanTask(steps: 6, batch: 16, &generator)
            adam.zeroGradients()
            let evaluation = loss.evaluate(prediction: model.forward(sequence), target: target)
            model.backward(evaluation.gradient)
            adam.step()
        }
        let final = loss.evaluate(prediction: model.forward(testSequence), target: testTarget).value
        return (initial, final)
    }

    @Test func lstmLearnsTheMeanOfASequence() {
        var generator = SeededGenerator(seed: 61)
        let model = SequenceModel(
            recurrentLayers: [LSTM(inputSize: 1, hiddenSize: 8, generator: &generator)],
            pooling: LastStep(),
            head: Sequential([Dense(inputs: 8, outputs: 1, generator: &generator)])
        )
        let (initial, final) = train(model, steps: 300, seed: 62)
        print("LSTM mean task: test MSE \(initial) → \(final)")
        // The target's variance is 1/18 ≈ 0.056; predicting 0 scores about that.
        #expect(initial > 0.03)
        #expect(final < 0.003)
    }

    @Test func twoLayerLSTMWithAttentionLearnsTheMeanOfASequence() {
        var generator = SeededGenerator(seed: 63)
        let model = SequenceModel.lstmWithAttention(
            features: 1, hiddenSizes: [8, 8], attentionSize: 4, outputs: 1, generator: &generator
        )
        let (initial, final) = train(model, steps: 300, seed: 64)
        print("LSTM×2+attention mean task: test MSE \(initial) → \(final)")
        #expect(initial > 0.03)
        #expect(final < 0.003)
    }
}
