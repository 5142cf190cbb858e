/// How a layer's weight matrix is drawn from a seeded generator.
///
/// The schemes are the ones the reference implementations use, so a model here starts where its PyTorch or
/// Stable-Baselines3 counterpart would: SB3's actor-critic uses `orthogonal(gain:)` (√2 for hidden layers,
/// 0.01 for the policy head, 1 for the value head); Keras' LSTM uses Glorot for input weights and orthogonal
/// for recurrent ones; `pytorchDefault` is `nn.Linear`'s U(−1/√fan_in, 1/√fan_in).
public enum WeightInitialization: Sendable, Equatable {
    /// Glorot (Xavier) uniform: U(−a, a) with a = √(6 / (fan_in + fan_out)).
    case glorotUniform
    /// A (semi-)orthogonal matrix scaled by `gain`, as `torch.nn.init.orthogonal_`.
    case orthogonal(gain: Double)
    /// U(−1/√fan_in, 1/√fan_in), PyTorch's default for `nn.Linear` and `nn.LSTM`.
    case pytorchDefault
    /// All zeros.
    case zeros

    /// A `fanIn` × `fanOut` weight matrix (inputs along rows, so a batch multiplies it on the left).
    public func matrix(fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) -> Matrix {
        switch self {
        case .glorotUniform:
            let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
            return Self.uniform(rows: fanIn, columns: fanOut, limit: limit, using: &generator)
        case .pytorchDefault:
            let limit = 1.0 / Double(max(fanIn, 1)).squareRoot()
            return Self.uniform(rows: fanIn, columns: fanOut, limit: limit, using: &generator)
        case .orthogonal(let gain):
            return Self.orthogonal(rows: fanIn, columns: fanOut, using: &generator) * gain
        case .zeros:
            return Matrix(rows: fanIn, columns: fanOut)
        }
    }

    static func uniform(rows: Int, columns: Int, limit: Double, using generator: inout SeededGenerator) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        for i in 0..<result.count { result.values[i] = (2 * generator.nextUniform() - 1) * limit }
        return result
    }

    /// A matrix with orthonormal columns (rows ≥ columns) or orthonormal rows (rows < columns): the Q of a QR
    /// decomposition of a Gaussian matrix, signs fixed by R's diagonal so the distribution is uniform (Haar).
    static func orthogonal(rows: Int, columns: Int, using generator: inout SeededGenerator) -> Matrix {
        let tall = rows >= columns
        let m = tall ? rows : columns
        let n = tall ? columns : rows
        // Columns of an m × n Gaussian matrix, orthonormalised by modified Gram–Schmidt.
        var basis: [[Double]] = (0..<n).map { _ in (0..<m).map { _ in generator.nextNormal() } }
        for j in 0..<n {
            for i in 0..<j {
                var dot = 0.0
                for k in 0..<m { dot += basis[i][k] * basis[j][k] }
                for k in 0..<m { basis[j][k] -= dot * basis[i][k] }
            }
            var norm = 0.0
            for k in 0..<m { norm += basis[j][k] * basis[j][k] }
            norm = norm.squareRoot()
            // R's diagonal entry is the positive norm here, so no sign flip is needed; guard degenerate draws.
            let scale = norm > 1e-12 ? 1 / norm : 0
            for k in 0..<m { basis[j][k] *= scale }
        }
        var result = Matrix(rows: rows, columns: columns)
        for j in 0..<n {
            for k in 0..<m {
                if tall { result[k, j] = basis[j][k] } else { result[j, k] = basis[j][k] }
            }
        }
        return result
    }
}
