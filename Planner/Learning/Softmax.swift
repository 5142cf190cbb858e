#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise softmax as a layer: each row of logits becomes a probability distribution (an allocation's weights,
/// a categorical policy's action probabilities). Prefer `LogSoftmax` inside a log-likelihood.
public final class Softmax: Layer {
    private var output = Matrix(rows: 0, columns: 0)

    public init() {}

    public var parameters: [Parameter] { [] }

    public func forward(_ input: Matrix) -> Matrix {
        output = Softmax.probabilities(input)
        return output
    }

    public func backward(_ outputGradient: Matrix) -> Matrix {
        precondition(outputGradient.hasShape(of: output), "Softmax gradient shape")
        // ∂x = y ⊙ (∂y − ⟨∂y, y⟩ per row).
        let inner = outputGradient.hadamard(output).rowSums()
        var result = outputGradient
        for r in 0..<result.rows {
            for c in 0..<result.columns {
                result[r, c] = output[r, c] * (outputGradient[r, c] - inner.values[r])
            }
        }
        return result
    }

    /// Row-wise softmax, shifted by each row's maximum so large logits do not overflow.
    public static func probabilities(_ logits: Matrix) -> Matrix {
        var result = logits
        for r in 0..<logits.rows {
            var largest = -Double.infinity
            for c in 0..<logits.columns { largest = max(largest, logits[r, c]) }
            var total = 0.0
            for c in 0..<logits.columns {
                let e = exp(logits[r, c] - largest)
                result[r, c] = e
                total += e
            }
            for c in 0..<logits.columns { result[r, c] /= total }
        }
        return result
    }
}
