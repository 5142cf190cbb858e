/// A market's kinked interest-rate curve as Aave defines it, fitted from history:
/// borrow APR = base + slope1 · min(U, kink) / kink + slope2 · max(0, U − kink) / (1 − kink), and
/// supply APR = borrow APR · U · (1 − reserve factor). Rates are fractions.
public struct RateCurve: Sendable, Equatable {
    public var base: Double
    public var slope1: Double
    public var slope2: Double
    /// The optimal utilisation where the slope changes.
    public var kink: Double
    public var reserveFactor: Double

    public init(base: Double, slope1: Double, slope2: Double, kink: Double, reserveFactor: Double) {
        self.base = base
        self.slope1 = slope1
        self.slope2 = slope2
        self.kink = kink
        self.reserveFactor = reserveFactor
    }

    public func borrowAPR(utilization u: Double) -> Double {
        base + slope1 * min(u, kink) / kink + slope2 * max(0, u - kink) / (1 - kink)
    }

    public func supplyAPR(utilization u: Double) -> Double {
        borrowAPR(utilization: u) * u * (1 - reserveFactor)
    }

    /// Least squares: the kink by grid search over `kinks`, base and slopes linear given the kink; the reserve
    /// factor from supply ≈ (1 − rf) · borrow · U. Nil with fewer than 3 points.
    public static func fit(
        utilization: [Double], borrowAPR: [Double], supplyAPR: [Double],
        kinks: [Double] = stride(from: 0.40, through: 0.98, by: 0.005).map { $0 }
    ) -> RateCurve? {
        let n = utilization.count
        guard n >= 3, borrowAPR.count == n, supplyAPR.count == n else { return nil }
        var best: (sse: Double, curve: RateCurve)?
        for kink in kinks {
            // Normal equations for [1, min(u,k)/k, max(0,u−k)/(1−k)].
            var a = [[Double]](repeating: [0, 0, 0], count: 3)
            var b = [0.0, 0.0, 0.0]
            for i in 0..<n {
                let x = [1, min(utilization[i], kink) / kink, max(0, utilization[i] - kink) / (1 - kink)]
                for r in 0..<3 {
                    b[r] += x[r] * borrowAPR[i]
                    for c in 0..<3 { a[r][c] += x[r] * x[c] }
                }
            }
            for r in 0..<3 { a[r][r] += 1e-10 }
            guard let beta = solve3(a, b) else { continue }
            let curve = RateCurve(base: beta[0], slope1: beta[1], slope2: beta[2], kink: kink, reserveFactor: 0)
            var sse = 0.0
            for i in 0..<n {
                let e = curve.borrowAPR(utilization: utilization[i]) - borrowAPR[i]
                sse += e * e
            }
            if best == nil || sse < best!.sse - 1e-15 { best = (sse, curve) }
        }
        guard var curve = best?.curve else { return nil }
        var xy = 0.0
        var xx = 0.0
        for i in 0..<n {
            let x = borrowAPR[i] * utilization[i]
            xy += x * supplyAPR[i]
            xx += x * x
        }
        curve.reserveFactor = xx > 0 ? 1 - xy / xx : 0
        return curve
    }

    /// Gaussian elimination with partial pivoting for a 3 × 3 system.
    static func solve3(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = matrix
        var b = rhs
        for col in 0..<3 {
            guard let pivot = (col..<3).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-14
            else { return nil }
            a.swapAt(col, pivot)
            b.swapAt(col, pivot)
            for r in (col + 1)..<3 {
                let f = a[r][col] / a[col][col]
                for c in col..<3 { a[r][c] -= f * a[col][c] }
                b[r] -= f * b[col]
            }
        }
        var x = [0.0, 0.0, 0.0]
        for r in stride(from: 2, through: 0, by: -1) {
            var s = b[r]
            for c in (r + 1)..<3 { s -= a[r][c] * x[c] }
            x[r] = s / a[r][r]
        }
        return x
    }
}
