#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The action distribution a policy head parameterises, with the log-likelihoods, entropies and gradients PPO's
/// loss needs: Stable-Baselines3's `CategoricalDistribution` and `DiagGaussianDistribution`.
///
/// `head` is the policy network's output for a batch (logits or means, batch × head size); `logStd` is the learned
/// 1 × actions row of a Gaussian policy (unused, and empty, for a categorical one).
public enum PolicyDistribution: Sendable, Equatable {
    case categorical
    case diagonalGaussian

    /// The distribution an action space calls for.
    public init(_ space: ActionSpace) {
        switch space {
        case .discrete: self = .categorical
        case .box: self = .diagonalGaussian
        }
    }

    private static let halfLogTwoPi = 0.5 * log(2 * Double.pi)

    /// log π(a | s) per row.
    public func logProbabilities(head: Matrix, logStd: Matrix, actions: Matrix) -> [Double] {
        var result = [Double](repeating: 0, count: head.rows)
        switch self {
        case .categorical:
            let logits = LogSoftmax.logProbabilities(head)
            for r in 0..<head.rows { result[r] = logits[r, Int(actions.values[r])] }
        case .diagonalGaussian:
            for r in 0..<head.rows {
                var total = 0.0
                for c in 0..<head.columns {
                    let s = logStd.values[c]
                    let z = (actions[r, c] - head[r, c]) * exp(-s)
                    total += -0.5 * z * z - s - Self.halfLogTwoPi
                }
                result[r] = total
            }
        }
        return result
    }

    /// Entropy per row.
    public func entropies(head: Matrix, logStd: Matrix) -> [Double] {
        switch self {
        case .categorical:
            let logits = LogSoftmax.logProbabilities(head)
            return (0..<head.rows).map { r in
                var h = 0.0
                for c in 0..<head.columns { h -= exp(logits[r, c]) * logits[r, c] }
                return h
            }
        case .diagonalGaussian:
            let perRow = logStd.values.reduce(0) { $0 + 0.5 + Self.halfLogTwoPi + $1 }
            return [Double](repeating: perRow, count: head.rows)
        }
    }

    /// Gradients of a loss with respect to the head and the log standard deviation, given the loss's gradients
    /// with respect to each row's log-probability (`logProbabilityGradient`) and entropy (`entropyGradient`).
    public func gradients(
        head: Matrix, logStd: Matrix, actions: Matrix, logProbabilityGradient: [Double], entropyGradient: [Double]
    ) -> (head: Matrix, logStd: Matrix) {
        var headGradient = Matrix(zerosLike: head)
        var logStdGradient = Matrix(zerosLike: logStd)
        switch self {
        case .categorical:
            // ∂log p_a/∂z_j = 1[j = a] − p_j;  ∂H/∂z_j = −p_j (log p_j + H).
            let logits = LogSoftmax.logProbabilities(head)
            for r in 0..<head.rows {
                var entropy = 0.0
                for c in 0..<head.columns { entropy -= exp(logits[r, c]) * logits[r, c] }
                let action = Int(actions.values[r])
                let gLog = logProbabilityGradient[r], gEntropy = entropyGradient[r]
                for c in 0..<head.columns {
                    let p = exp(logits[r, c])
                    var g = gLog * ((c == action ? 1 : 0) - p)
                    g -= gEntropy * p * (logits[r, c] + entropy)
                    headGradient[r, c] = g
                }
            }
        case .diagonalGaussian:
            // ∂log p/∂μ = z/σ;  ∂log p/∂log σ = z² − 1;  ∂H/∂log σ = 1.
            for r in 0..<head.rows {
                let gLog = logProbabilityGradient[r]
                for c in 0..<head.columns {
                    let inverseStd = exp(-logStd.values[c])
                    let z = (actions[r, c] - head[r, c]) * inverseStd
                    headGradient[r, c] = gLog * z * inverseStd
                    logStdGradient.values[c] += gLog * (z * z - 1) + entropyGradient[r]
                }
            }
        }
        return (headGradient, logStdGradient)
    }

    /// One action drawn for one row of head output (a one-element index for a categorical policy), with its
    /// log-probability. With `deterministic`, the mode: the most likely index, or the mean.
    public func sample(
        head: [Double], logStd: [Double], deterministic: Bool, using generator: inout SeededGenerator
    ) -> (action: [Double], logProbability: Double) {
        switch self {
        case .categorical:
            var largest = -Double.infinity
            for z in head { largest = max(largest, z) }
            var total = 0.0
            for z in head { total += exp(z - largest) }
            let logSum = largest + log(total)
            var index = 0
            if deterministic {
                for c in head.indices where head[c] > head[index] { index = c }
            } else {
                var u = generator.nextUniform() * total
                index = head.count - 1
                for c in head.indices {
                    u -= exp(head[c] - largest)
                    if u < 0 { index = c; break }
                }
            }
            return ([Double(index)], head[index] - logSum)
        case .diagonalGaussian:
            var action = head
            var total = 0.0
            for c in head.indices {
                let noise = deterministic ? 0 : generator.nextNormal()
                action[c] = head[c] + exp(logStd[c]) * noise
                total += -0.5 * noise * noise - logStd[c] - Self.halfLogTwoPi
            }
            return (action, total)
        }
    }
}
