import Learning
import Testing

/// Losses and the Gaussian policy head: values against hand-computed answers, gradients against finite
/// differences.
@Suite struct LossGradientTests {
    private func lossErrors(_ loss: some Loss, seed: UInt64) -> Double {
        var generator = SeededGenerator(seed: seed)
        let prediction = Parameter("prediction", value: GradientCheck.random(4, 3, &generator))
        let target = GradientCheck.random(4, 3, &generator)
        let analytic = loss.evaluate(prediction: prediction.value, target: target).gradient
        return GradientCheck.maxRelativeError(prediction, analytic: analytic) {
            loss.evaluate(prediction: prediction.value, target: target).value
        }
    }

    @Test func meanSquaredErrorGradientMatchesFiniteDifferences() {
        let error = lossErrors(MeanSquaredError(), seed: 31)
        print("gradient-check MeanSquaredError: max \(error)")
        #expect(error < GradientCheck.tolerance)
    }

    @Test func huberGradientMatchesFiniteDifferencesInBothRegimes() {
        // δ = 0.5 with unit-variance differences puts entries on both sides of the kink.
        let error = lossErrors(HuberLoss(delta: 0.5), seed: 32)
        print("gradient-check HuberLoss: max \(error)")
        #expect(error < GradientCheck.tolerance)
    }

    @Test func meanSquaredErrorAndHuberMatchHandComputedValues() {
        let prediction = Matrix([[1, 2], [3, 4]])
        let target = Matrix([[1, 0], [3, 7]])
        // Differences 0, 2, 0, −3.
        let mse = MeanSquaredError().evaluate(prediction: prediction, target: target)
        #expect(mse.value == 13.0 / 4)
        #expect(mse.gradient == Matrix([[0, 1], [0, -1.5]]))
        let huber = HuberLoss(delta: 1).evaluate(prediction: prediction, target: target)
        #expect(huber.value == (1.5 + 2.5) / 4)
        #expect(huber.gradient == Matrix([[0, 0.25], [0, -0.25]]))
    }

    @Test func diagonalGaussianLogProbabilityGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 33)
        let mean = Parameter("mean", value: GradientCheck.random(3, 2, &generator))
        let logStd = Parameter("logStd", value: GradientCheck.random(1, 2, &generator, scale: 0.5))
        let actions = GradientCheck.random(3, 2, &generator)
        let weights = GradientCheck.random(3, 1, &generator)
        let loss = {
            DiagonalGaussian(mean: mean.value, logStandardDeviation: logStd.value)
                .logProbability(of: actions).hadamard(weights).sum()
        }
        let gradients = DiagonalGaussian(mean: mean.value, logStandardDeviation: logStd.value)
            .logProbabilityGradients(of: actions, outputGradient: weights)
        let meanError = GradientCheck.maxRelativeError(mean, analytic: gradients.mean, loss: loss)
        let logStdError = GradientCheck.maxRelativeError(logStd, analytic: gradients.logStandardDeviation, loss: loss)
        print("gradient-check DiagonalGaussian: mean \(meanError) logStd \(logStdError)")
        #expect(meanError < GradientCheck.tolerance)
        #expect(logStdError < GradientCheck.tolerance)
    }

    @Test func diagonalGaussianLogProbabilityMatchesTheStandardNormalDensity() {
        let gaussian = DiagonalGaussian(mean: Matrix([[0, 1]]), logStandardDeviation: Matrix(row: [0, 0]))
        // log N(0; 0, 1) + log N(1; 1, 1) = −log 2π.
        let expected = -1.8378770664093453
        #expect(abs(gaussian.logProbability(of: Matrix([[0, 1]])).values[0] - expected) < 1e-12)
        #expect(abs(gaussian.entropy().values[0] - (1 + 1.8378770664093453)) < 1e-12)
    }
}
