import Learning

/// One tree of an isolation forest: random axis-aligned splits until a point is alone or the depth limit is hit.
indirect enum IsolationTree: Sendable {
    case leaf(size: Int)
    case split(feature: Int, value: Double, left: IsolationTree, right: IsolationTree)

    static func grow(_ rows: [[Double]], depth: Int, limit: Int, generator: inout SeededGenerator) -> IsolationTree {
        guard rows.count > 1, depth < limit, let width = rows.first?.count, width > 0 else {
            return .leaf(size: rows.count)
        }
        // Pick a feature that still varies; a leaf if none does.
        var candidates = Array(0..<width)
        while !candidates.isEmpty {
            let pick = Int(generator.nextUniform() * Double(candidates.count)) % candidates.count
            let feature = candidates.remove(at: pick)
            var low = rows[0][feature]
            var high = low
            for row in rows {
                low = min(low, row[feature])
                high = max(high, row[feature])
            }
            guard high > low else { continue }
            let value = low + generator.nextUniform() * (high - low)
            let left = rows.filter { $0[feature] < value }
            let right = rows.filter { $0[feature] >= value }
            return .split(feature: feature, value: value,
                          left: grow(left, depth: depth + 1, limit: limit, generator: &generator),
                          right: grow(right, depth: depth + 1, limit: limit, generator: &generator))
        }
        return .leaf(size: rows.count)
    }

    /// The path length of `row`, with the usual `c(n)` correction at leaves holding `n > 1` points.
    func pathLength(_ row: [Double], depth: Int = 0) -> Double {
        switch self {
        case .leaf(let size):
            return Double(depth) + IsolationForest.averagePathLength(size)
        case .split(let feature, let value, let left, let right):
            let branch = row[feature] < value ? left : right
            return branch.pathLength(row, depth: depth + 1)
        }
    }
}
