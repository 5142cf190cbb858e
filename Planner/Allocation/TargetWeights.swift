/// A target allocation: basis points per market (aligned with `MarketPanel.markets`) plus the reserve.
///
/// A valid allocation sums to 10000 with every weight non-negative; whether it also satisfies a policy is
/// `AllocationConstraints.violations(_:)`'s question, and `AllocationConstraints.project(_:)` makes any wish
/// into one that does. The reserve is idle capital kept for gas and emergencies (seed: 5 %).
public struct TargetWeights: Sendable, Hashable, CustomStringConvertible {
    /// Weight per market in bps, `bps[m]` for `MarketPanel.markets[m]`.
    public var bps: [Int]
    public var reserveBps: Int

    public init(bps: [Int], reserveBps: Int) {
        self.bps = bps
        self.reserveBps = reserveBps
    }

    /// Everything in the reserve: where a backtest starts, as the appliance does before its first approval.
    public static func allReserve(marketCount: Int) -> TargetWeights {
        TargetWeights(bps: Array(repeating: 0, count: marketCount), reserveBps: 10_000)
    }

    public var totalBps: Int { bps.reduce(reserveBps, +) }

    /// Markets with a non-zero weight.
    public var heldMarkets: [Int] { bps.indices.filter { bps[$0] > 0 } }

    /// ½ Σ |new − old| over every market and the reserve, in bps: the policy's turnover (DESIGN.md), rounded up.
    public func turnoverBps(from old: TargetWeights) -> Int {
        var total = abs(reserveBps - old.reserveBps)
        for m in bps.indices { total += abs(bps[m] - old.bps[m]) }
        return (total + 1) / 2
    }

    /// The weights as fractions (market weights, then the reserve).
    public var fractions: [Double] { bps.map { Double($0) / 10_000 } + [Double(reserveBps) / 10_000] }

    public var description: String {
        bps.map(String.init).joined(separator: "/") + " reserve \(reserveBps)"
    }
}
