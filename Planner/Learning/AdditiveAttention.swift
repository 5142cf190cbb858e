#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Additive (Bahdanau) attention pooling: a learned weighting of every step's hidden state.
///
/// For each example, step t scores e_t = vᵀ·tanh(h_t·W + b); the weights α = softmax over steps of e; the output
/// is Σ_t α_t·h_t. The forecaster's "LSTM layers, attention, dense head" uses it so the head can look back at
/// any step (a rate spike a week ago), not only the last one. `attentionWeights` exposes α for inspection.
public final class AdditiveAttention: SequencePooling {
    /// Projection of each hidden state, features × attentionSize.
    public let weight: Parameter
    /// Bias of the projection, 1 × attentionSize.
    public let bias: Parameter
    /// Scoring vector, attentionSize × 1.
    public let score: Parameter

    private var stacked = Matrix(rows: 0, columns: 0)      // (T·batch) × features
    private var projection = Matrix(rows: 0, columns: 0)   // (T·batch) × attentionSize, after tanh
    private var steps = 0
    private var batch = 0
    /// α from the last forward pass: steps × batch, each column sums to 1.
    public private(set) var attentionWeights = Matrix(rows: 0, columns: 0)

    /// Attention over sequences of `features`-wide states with an `attentionSize`-wide scoring layer.
    public init(features: Int, attentionSize: Int, generator: inout SeededGenerator, name: String = "attention") {
        weight = Parameter(
            "\(name).weight",
            value: WeightInitialization.glorotUniform.matrix(fanIn: features, fanOut: attentionSize, using: &generator)
        )
        bias = Parameter("\(name).bias", value: Matrix(rows: 1, columns: attentionSize))
        score = Parameter(
            "\(name).score",
            value: WeightInitialization.glorotUniform.matrix(fanIn: attentionSize, fanOut: 1, using: &generator)
        )
    }

    public var parameters: [Parameter] { [weight, bias, score] }

    public func forward(_ sequence: [Matrix]) -> Matrix {
        precondition(!sequence.isEmpty, "Attention needs at least one step")
        steps = sequence.count
        batch = sequence[0].rows
        let features = weight.value.rows
        precondition(
            sequence.allSatisfy { $0.rows == batch && $0.columns == features },
            "Attention expects every step to be \(batch)×\(features)"
        )
        stacked = Matrix.verticallyStacking(sequence)
        projection = Matrix.product(stacked, weight.value).addingRow(bias.value).map { tanh($0) }
        let scores = Matrix.product(projection, score.value)   // (T·batch) × 1, row t·batch + b
        var alpha = Matrix(rows: steps, columns: batch)
        for b in 0..<batch {
            var largest = -Double.infinity
            for t in 0..<steps { largest = max(largest, scores.values[t * batch + b]) }
            var total = 0.0
            for t in 0..<steps {
                let e = exp(scores.values[t * batch + b] - largest)
                alpha[t, b] = e
                total += e
            }
            for t in 0..<steps { alpha[t, b] /= total }
        }
        attentionWeights = alpha
        var context = Matrix(rows: batch, columns: features)
        for t in 0..<steps {
            for b in 0..<batch {
                let a = alpha[t, b]
                let source = (t * batch + b) * features
                for j in 0..<features { context.values[b * features + j] += a * stacked.values[source + j] }
            }
        }
        return context
    }

    public func backward(_ outputGradient: Matrix) -> [Matrix] {
        let features = weight.value.rows
        precondition(outputGradient.rows == batch && outputGradient.columns == features, "Attention gradient shape")
        let alpha = attentionWeights
        // ∂loss/∂α_t = ⟨∂loss/∂context, h_t⟩ per example; the direct path gives ∂loss/∂h_t = α_t·∂loss/∂context.
        var stackedGradient = Matrix(rows: steps * batch, columns: features)
        var alphaGradient = Matrix(rows: steps, columns: batch)
        for t in 0..<steps {
            for b in 0..<batch {
                let a = alpha[t, b]
                let source = (t * batch + b) * features
                var dot = 0.0
                for j in 0..<features {
                    let g = outputGradient.values[b * features + j]
                    dot += g * stacked.values[source + j]
                    stackedGradient.values[source + j] = a * g
                }
                alphaGradient[t, b] = dot
            }
        }
        // Through the softmax over steps: ∂e_t = α_t (∂α_t − Σ_s α_s ∂α_s).
        var scoreGradient = Matrix(rows: steps * batch, columns: 1)
        for b in 0..<batch {
            var weighted = 0.0
            for t in 0..<steps { weighted += alpha[t, b] * alphaGradient[t, b] }
            for t in 0..<steps { scoreGradient.values[t * batch + b] = alpha[t, b] * (alphaGradient[t, b] - weighted) }
        }
        score.gradient.addProduct(projection, scoreGradient, transposeA: true)
        let preActivation = Matrix.product(scoreGradient, score.value, transposeB: true)
            .combined(with: projection) { g, u in g * (1 - u * u) }
        weight.gradient.addProduct(stacked, preActivation, transposeA: true)
        bias.gradient += preActivation.columnSums()
        stackedGradient.addProduct(preActivation, weight.value, transposeB: true)
        return stackedGradient.splittingRows(into: steps)
    }
}
