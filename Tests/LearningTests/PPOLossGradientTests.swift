import Learning
import Testing

/// PPO's clipped loss: its gradients against central finite differences, for both policy heads, with rows inside
/// and outside the clip range.
@Suite struct PPOLossGradientTests {
    private struct Case {
        let distribution: PolicyDistribution
        let head: Parameter
        let logStd: Parameter
        let values: Parameter
        let actions: Matrix
        let old: [Double]
        let advantages: [Double]
        let returns: [Double]

        func loss() -> PPOLoss {
            PPOLoss(distribution: distribution, head: head.value, logStd: logStd.value, values: values.value,
                    actions: actions, oldLogProbabilities: old, advantages: advantages, returns: returns,
                    clipRange: 0.2, entropyCoefficient: 0.05, valueCoefficient: 0.5)
        }
    }

    private func makeCase(_ distribution: PolicyDistribution) -> Case {
        var generator = SeededGenerator(seed: 17)
        let batch = 8, width = 3
        let head = Parameter("head", value: GradientCheck.random(batch, width, &generator))
        let logStd = Parameter("logStd", value: distribution == .categorical
                               ? Matrix(rows: 1, columns: 0) : GradientCheck.random(1, width, &generator, scale: 0.3))
        let values = Parameter("values", value: GradientCheck.random(batch, 1, &generator))
        var actions = Matrix(rows: batch, columns: distribution == .categorical ? 1 : width)
        for i in actions.values.indices {
            actions.values[i] = distribution == .categorical
                ? Double(Int(generator.nextUniform() * Double(width))) : generator.nextNormal()
        }
        let current = distribution.logProbabilities(head: head.value, logStd: logStd.value, actions: actions)
        // Ratios e^0, e^±0.1 (inside the clip range) and e^±0.5 (outside), with advantages of both signs.
        let shifts = [0.0, 0.1, -0.1, 0.5, -0.5, 0.5, -0.5, 0.05]
        let advantages = [1.0, -0.7, 0.4, 1.2, -0.9, -1.1, 0.8, -0.3]
        let returns = (0..<batch).map { _ in generator.nextNormal() }
        return Case(distribution: distribution, head: head, logStd: logStd, values: values, actions: actions,
                    old: zip(current, shifts).map { $0 - $1 }, advantages: advantages, returns: returns)
    }

    @Test(arguments: [PolicyDistribution.categorical, .diagonalGaussian])
    func lossGradientsMatchFiniteDifferences(distribution: PolicyDistribution) {
        let c = makeCase(distribution)
        let analytic = c.loss()
        #expect(analytic.clipFraction > 0 && analytic.clipFraction < 1)
        let total = { c.loss().total }
        #expect(GradientCheck.maxRelativeError(c.head, analytic: analytic.headGradient, loss: total)
                < GradientCheck.tolerance)
        #expect(GradientCheck.maxRelativeError(c.values, analytic: analytic.valueGradient, loss: total)
                < GradientCheck.tolerance)
        if distribution == .diagonalGaussian {
            #expect(GradientCheck.maxRelativeError(c.logStd, analytic: analytic.logStdGradient, loss: total)
                    < GradientCheck.tolerance)
        }
    }

    @Test func clippedRowsContributeNoPolicyGradient() {
        // One row, ratio e^0.5 > 1.2 and a positive advantage: the clipped term is the minimum, so the policy
        // gradient is zero; only the value term remains.
        let head = Matrix(rows: 1, columns: 2, values: [0.3, -0.2])
        let actions = Matrix(rows: 1, columns: 1, values: [0])
        let logp = PolicyDistribution.categorical.logProbabilities(head: head, logStd: Matrix(rows: 1, columns: 0),
                                                                   actions: actions)
        let loss = PPOLoss(distribution: .categorical, head: head, logStd: Matrix(rows: 1, columns: 0),
                           values: Matrix(rows: 1, columns: 1, values: [0]), actions: actions,
                           oldLogProbabilities: [logp[0] - 0.5], advantages: [1], returns: [0], clipRange: 0.2,
                           entropyCoefficient: 0, valueCoefficient: 0.5)
        #expect(loss.headGradient.maxAbsolute() == 0)
        #expect(abs(loss.policyLoss - (-1.2)) < 1e-12)
        #expect(loss.clipFraction == 1)
    }
}
