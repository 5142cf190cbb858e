#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A diagonal Gaussian action distribution with a state-independent log standard deviation: SB3's
/// `DiagGaussianDistribution`, the head of a PPO policy over continuous actions (allocation weights).
///
/// The mean comes from a network (batch × actions); `logStandardDeviation` is one 1 × actions row, usually a
/// `Parameter` trained alongside the network. The gradient methods give what PPO's loss needs to backpropagate.
public struct DiagonalGaussian: Sendable {
    /// batch × actions.
    public let mean: Matrix
    /// 1 × actions.
    public let logStandardDeviation: Matrix

    public init(mean: Matrix, logStandardDeviation: Matrix) {
        precondition(
            logStandardDeviation.rows == 1 && logStandardDeviation.columns == mean.columns,
            "logStandardDeviation must be 1×\(mean.columns)"
        )
        self.mean = mean
        self.logStandardDeviation = logStandardDeviation
    }

    private static let halfLogTwoPi = 0.5 * log(2 * Double.pi)

    /// One action per row drawn from the distribution.
    public func sample(using generator: inout SeededGenerator) -> Matrix {
        var result = mean
        for r in 0..<mean.rows {
            for c in 0..<mean.columns { result[r, c] += exp(logStandardDeviation.values[c]) * generator.nextNormal() }
        }
        return result
    }

    /// log p(action) per row (batch × 1), summed over action dimensions.
    public func logProbability(of actions: Matrix) -> Matrix {
        precondition(actions.hasShape(of: mean), "Actions must have the mean's shape")
        var result = Matrix(rows: mean.rows, columns: 1)
        for r in 0..<mean.rows {
            var total = 0.0
            for c in 0..<mean.columns {
                let logStd = logStandardDeviation.values[c]
                let z = (actions[r, c] - mean[r, c]) / exp(logStd)
                total += -0.5 * z * z - logStd - Self.halfLogTwoPi
            }
            result.values[r] = total
        }
        return result
    }

    /// Given ∂loss/∂logProbability (batch × 1), the gradients with respect to the mean (batch × actions) and the
    /// log standard deviation (1 × actions, summed over the batch).
    public func logProbabilityGradients(
        of actions: Matrix, outputGradient: Matrix
    ) -> (mean: Matrix, logStandardDeviation: Matrix) {
        precondition(outputGradient.rows == mean.rows && outputGradient.columns == 1, "Gradient must be batch×1")
        var meanGradient = Matrix(zerosLike: mean)
        var logStdGradient = Matrix(zerosLike: logStandardDeviation)
        for r in 0..<mean.rows {
            let g = outputGradient.values[r]
            for c in 0..<mean.columns {
                let std = exp(logStandardDeviation.values[c])
                let z = (actions[r, c] - mean[r, c]) / std
                meanGradient[r, c] = g * z / std
                logStdGradient.values[c] += g * (z * z - 1)
            }
        }
        return (meanGradient, logStdGradient)
    }

    /// Entropy per row (batch × 1): Σ over actions of ½ + ½·log 2π + log σ. Its gradient with respect to each
    /// log σ is 1 per row.
    public func entropy() -> Matrix {
        let perRow = logStandardDeviation.values.reduce(0) { $0 + 0.5 + Self.halfLogTwoPi + $1 }
        return Matrix(rows: mean.rows, columns: 1, repeating: perRow)
    }
}
