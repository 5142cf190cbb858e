#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Row-wise log-softmax as a layer: log-probabilities for a categorical policy's log-likelihood and entropy,
/// computed as x − logsumexp(x) so it stays finite where softmax underflows.
public final class LogSoftmax: Layer {
    private var output = Matrix(rows: 0, columns: 0)

    public init() {}

    public var parameters: [Parameter] { [] }

    public func forward(_ input: Matrix) -> Matrix {
        output = LogSoftmax.logProbabilities(input)
        return output
    }

    public func backward(_ outputGradient: Matrix) -> Matrix {
        precondition(outputGradient.hasShape(of: output), "LogSoftmax gradient shape")
        // ∂x = ∂y − softmax(x) · Σ ∂y per row.
        let totals = outputGradient.rowSums()
        var result = outputGradient
        for r in 0..<result.rows {
            for c in 0..<result.columns { result[r, c] -= exp(output[r, c]) * totals.values[r] }
        }
        return result
    }

    /// Row-wise log-softmax.
    public static func logProbabilities(_ logits: Matrix) -> Matrix {
        var result = logits
        for r in 0..<logits.rows {
            var largest = -Double.infinity
            for c in 0..<logits.columns { largest = max(largest, logits[r, c]) }
            var total = 0.0
            for c in 0..<logits.columns { total += exp(logits[r, c] - largest) }
            let logSum = largest + log(total)
            for c in 0..<logits.columns { result[r, c] -= logSum }
        }
        return result
    }
}
