import Learning
import Testing

/// Finite-difference checks of the sequence layers (full BPTT) and of the composed forecaster shape.
@Suite struct RecurrentGradientTests {
    private func expectWithinTolerance(_ label: String, _ errors: [String: Double]) {
        print(GradientCheck.summary(label, errors))
        for (name, error) in errors {
            #expect(error < GradientCheck.tolerance, "\(label).\(name): relative error \(error)")
        }
    }

    @Test func lstmGradientsThroughEveryStepMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 21)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, generator: &generator)
        let steps = 4
        // Project every step's hidden state, so the check covers the returned sequence, not only its end.
        let errors = GradientCheck.checkSequence(
            parameters: lstm.parameters, steps: steps, batch: 2, inputs: 3, seed: 22,
            forward: { Matrix.verticallyStacking(lstm.forward($0)) },
            backward: { lstm.backward($0.splittingRows(into: steps)) }
        )
        #expect(errors.keys.sorted() == ["input", "lstm.bias", "lstm.inputWeight", "lstm.recurrentWeight"])
        expectWithinTolerance("LSTM", errors)
    }

    @Test func lstmLastStepGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 23)
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, generator: &generator)
        let last = LastStep()
        let errors = GradientCheck.checkSequence(
            parameters: lstm.parameters, steps: 5, batch: 3, inputs: 2, seed: 24,
            forward: { last.forward(lstm.forward($0)) },
            backward: { lstm.backward(last.backward($0)) }
        )
        expectWithinTolerance("LSTM+LastStep", errors)
    }

    @Test func additiveAttentionGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 25)
        let attention = AdditiveAttention(features: 3, attentionSize: 4, generator: &generator)
        let errors = GradientCheck.checkSequence(
            parameters: attention.parameters, steps: 4, batch: 3, inputs: 3, seed: 26,
            forward: { attention.forward($0) },
            backward: { attention.backward($0) }
        )
        #expect(errors.keys.sorted() == ["attention.bias", "attention.score", "attention.weight", "input"])
        expectWithinTolerance("AdditiveAttention", errors)
    }

    @Test func attentionWeightsAreADistributionOverSteps() {
        var generator = SeededGenerator(seed: 27)
        let attention = AdditiveAttention(features: 2, attentionSize: 3, generator: &generator)
        let sequence = (0..<5).map { _ in GradientCheck.random(4, 2, &generator) }
        _ = attention.forward(sequence)
        let weights = attention.attentionWeights
        #expect(weights.rows == 5 && weights.columns == 4)
        for total in weights.columnSums().values { #expect(abs(total - 1) < 1e-12) }
        #expect(weights.values.allSatisfy { $0 > 0 })
    }

    @Test func twoLayerLSTMWithAttentionAndDenseHeadGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 28)
        let model = SequenceModel.lstmWithAttention(
            features: 3, hiddenSizes: [4, 3], attentionSize: 3, headHiddenSize: 4, outputs: 2, generator: &generator
        )
        let errors = GradientCheck.checkSequence(
            parameters: model.parameters, steps: 4, batch: 2, inputs: 3, seed: 29,
            forward: { model.forward($0) },
            backward: { model.backward($0) }
        )
        #expect(errors.count == 1 + 3 + 3 + 3 + 4)
        expectWithinTolerance("SequenceModel(LSTM×2+attention+head)", errors)
    }
}
