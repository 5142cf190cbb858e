#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Learning
import Testing

/// Adam and global-norm clipping: known answers and convergence on small problems.
@Suite struct OptimizerTests {
    @Test func adamFirstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        // With m̂ = g and v̂ = g² after one step, torch.optim.Adam moves by lr·g/(|g| + ε).
        let parameter = Parameter("p", value: Matrix(row: [1, -2, 0.5]))
        parameter.gradient = Matrix(row: [0.5, -3, 1e-3])
        let adam = Adam(parameters: [parameter], learningRate: 0.1)
        adam.step()
        let expected = [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 3 / (3 + 1e-8), 0.5 - 0.1 * 1e-3 / (1e-3 + 1e-8)]
        for (actual, wanted) in zip(parameter.value.values, expected) { #expect(abs(actual - wanted) < 1e-15) }
        #expect(adam.stepCount == 1)
    }

    @Test func adamUsesPyTorchDefaults() {
        let adam = Adam(parameters: [])
        #expect(adam.learningRate == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-8)
    }

    @Test func adamMinimisesAnIllConditionedQuadratic() {
        // f(x) = Σ wᵢ (xᵢ − cᵢ)² with curvatures spanning three orders of magnitude.
        let centre = Matrix(row: [3, -1, 0.5, 2])
        let curvature = Matrix(row: [0.01, 1, 10, 3])
        let x = Parameter("x", value: Matrix(rows: 1, columns: 4))
        let adam = Adam(parameters: [x], learningRate: 0.05)
        for _ in 0..<2000 {
            adam.zeroGradients()
            x.gradient = (x.value - centre).hadamard(curvature) * 2
            adam.step()
        }
        #expect((x.value - centre).maxAbsolute() < 1e-3)
    }

    @Test func clippingScalesGradientsToTheMaximumGlobalNorm() {
        let a = Parameter("a", value: Matrix(row: [0, 0]))
        let b = Parameter("b", value: Matrix(row: [0]))
        a.gradient = Matrix(row: [3, 0])
        b.gradient = Matrix(row: [4])
        let norm = GradientClipping.clipByGlobalNorm([a, b], maxNorm: 0.5)
        #expect(norm == 5)
        let scale = 0.5 / (5 + 1e-6)
        #expect(abs(a.gradient.values[0] - 3 * scale) < 1e-15 && b.gradient.values[0] == 4 * scale)
        #expect(abs(GradientClipping.globalNorm([a, b]) - 0.5) < 1e-6)
    }

    @Test func clippingLeavesGradientsWithinTheNormUnchanged() {
        let a = Parameter("a", value: Matrix(row: [0, 0]))
        a.gradient = Matrix(row: [0.03, 0.04])
        #expect(abs(GradientClipping.clipByGlobalNorm([a], maxNorm: 0.5) - 0.05) < 1e-15)
        #expect(a.gradient == Matrix(row: [0.03, 0.04]))
    }

    @Test func smallTanhNetworkFitsSineOnMinusPiToPi() {
        var generator = SeededGenerator(seed: 51)
        let model = Sequential([
            Dense(inputs: 1, outputs: 16, generator: &generator, name: "hidden1"),
            Activation(.tanh),
            Dense(inputs: 16, outputs: 16, generator: &generator, name: "hidden2"),
            Activation(.tanh),
            Dense(inputs: 16, outputs: 1, generator: &generator, name: "out"),
        ])
        let points = 64
        let grid = (0..<points).map { -Double.pi + 2 * Double.pi * Double($0) / Double(points - 1) }
        let x = Matrix(rows: points, columns: 1, values: grid)
        let y = x.map { sin($0) }
        let adam = Adam(parameters: model.parameters, learningRate: 0.01)
        let loss = MeanSquaredError()
        let initial = loss.evaluate(prediction: model.forward(x), target: y).value
        var steps = 0
        var current = initial
        while current >= 0.01 && steps < 1500 {
            adam.zeroGradients()
            let evaluation = loss.evaluate(prediction: model.forward(x), target: y)
            current = evaluation.value
            model.backward(evaluation.gradient)
            adam.step()
            steps += 1
        }
        // Held-out points between the training grid.
        let heldOut = Matrix(rows: points - 1, columns: 1, values: grid.dropLast().map { $0 + Double.pi / 63 })
        let heldOutLoss = loss.evaluate(prediction: model.forward(heldOut), target: heldOut.map { sin($0) }).value
        print("sine fit: initial MSE \(initial), \(current) after \(steps) steps, held-out \(heldOutLoss)")
        #expect(initial > 0.1)
        #expect(current < 0.01)
        #expect(heldOutLoss < 0.01)
    }
}
