#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Learning
import Testing

/// Finite-difference checks of every batch layer, with respect to its input and every parameter.
@Suite struct LayerGradientTests {
    private func expectWithinTolerance(_ label: String, _ errors: [String: Double]) {
        print(GradientCheck.summary(label, errors))
        for (name, error) in errors {
            #expect(error < GradientCheck.tolerance, "\(label).\(name): relative error \(error)")
        }
    }

    @Test func denseGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 11)
        let layer = Dense(inputs: 4, outputs: 3, generator: &generator)
        let errors = GradientCheck.check(layer, batch: 5, inputs: 4, seed: 12)
        #expect(errors.keys.sorted() == ["dense.bias", "dense.weight", "input"])
        expectWithinTolerance("Dense", errors)
    }

    @Test(arguments: [Activation.Function.identity, .tanh, .relu, .sigmoid])
    func activationGradientsMatchFiniteDifferences(function: Activation.Function) {
        let errors = GradientCheck.check(Activation(function), batch: 4, inputs: 5, seed: 13)
        expectWithinTolerance("Activation.\(function)", errors)
    }

    @Test func sequentialPerceptronGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 14)
        let model = Sequential([
            Dense(inputs: 3, outputs: 6, initialization: .orthogonal(gain: 2.0.squareRoot()),
                  generator: &generator, name: "hidden"),
            Activation(.tanh),
            Dense(inputs: 6, outputs: 2, initialization: .orthogonal(gain: 0.01), generator: &generator, name: "out"),
        ])
        let errors = GradientCheck.check(model, batch: 4, inputs: 3, seed: 15)
        #expect(errors.count == 5)
        expectWithinTolerance("Sequential", errors)
    }

    @Test func softmaxGradientsMatchFiniteDifferences() {
        expectWithinTolerance("Softmax", GradientCheck.check(Softmax(), batch: 3, inputs: 5, seed: 16))
    }

    @Test func logSoftmaxGradientsMatchFiniteDifferences() {
        expectWithinTolerance("LogSoftmax", GradientCheck.check(LogSoftmax(), batch: 3, inputs: 5, seed: 17))
    }

    @Test func gradientCheckDetectsAGradientOffByOnePercent() {
        var generator = SeededGenerator(seed: 18)
        let weight = Parameter("w", value: GradientCheck.random(3, 3, &generator))
        let loss = { weight.value.squaredNorm() }
        let correct = weight.value * 2
        #expect(GradientCheck.maxRelativeError(weight, analytic: correct, loss: loss) < GradientCheck.tolerance)
        #expect(GradientCheck.maxRelativeError(weight, analytic: correct * 1.01, loss: loss) > 1e-3)
    }

    @Test func softmaxRowsAreDistributionsAndLogSoftmaxIsTheirLogarithm() {
        let logits = Matrix([[1000, 1001, 999], [-3, 0, 2]])
        let probabilities = Softmax.probabilities(logits)
        let logProbabilities = LogSoftmax.logProbabilities(logits)
        for r in 0..<2 {
            #expect(abs(probabilities.rowSlice(r..<(r + 1)).sum() - 1) < 1e-12)
            for c in 0..<3 {
                #expect(probabilities[r, c].isFinite)
                #expect(abs(exp(logProbabilities[r, c]) - probabilities[r, c]) < 1e-12)
            }
        }
    }
}
