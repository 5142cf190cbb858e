import Foundation
import Learning

/// An isolation forest (Liu, Ting and Zhou, 2008): outliers are isolated by fewer random splits.
///
/// `score` is `2^(−E[h(x)] / c(ψ))` in (0, 1): about 0.5 for ordinary points, towards 1 for outliers. Seeded, so
/// the same data and seed give the same forest.
public struct IsolationForest: Sendable {
    let trees: [IsolationTree]
    let sampleSize: Int

    /// Grows `trees` trees, each on `sampleSize` rows drawn without replacement, depth limit `ceil(log2 ψ)`.
    public init(rows: [[Double]], trees: Int = 100, sampleSize: Int = 256, seed: UInt64 = 1) {
        precondition(!rows.isEmpty && trees > 0 && sampleSize > 1)
        var generator = SeededGenerator(seed: seed)
        let size = min(sampleSize, rows.count)
        let limit = Int(ceil(log2(Double(max(size, 2)))))
        var grown: [IsolationTree] = []
        for _ in 0..<trees {
            var indices = Array(rows.indices)
            for position in 0..<size {
                let remaining = indices.count - position
                let pick = position + Int(generator.nextUniform() * Double(remaining)) % remaining
                indices.swapAt(position, pick)
            }
            let sample = indices[0..<size].map { rows[$0] }
            grown.append(IsolationTree.grow(sample, depth: 0, limit: limit, generator: &generator))
        }
        self.trees = grown
        self.sampleSize = size
    }

    /// The anomaly score of `row`, in (0, 1).
    public func score(_ row: [Double]) -> Double {
        let mean = trees.reduce(0) { $0 + $1.pathLength(row) } / Double(trees.count)
        return pow(2, -mean / Self.averagePathLength(sampleSize))
    }

    /// `c(n)`: the average path length of an unsuccessful binary-search-tree search among `n` points.
    static func averagePathLength(_ n: Int) -> Double {
        guard n > 1 else { return 0 }
        if n == 2 { return 1 }
        let harmonic = log(Double(n - 1)) + 0.577_215_664_901_532_9
        return 2 * harmonic - 2 * Double(n - 1) / Double(n)
    }
}
