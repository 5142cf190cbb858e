import SigningPolicy

/// The shape every target allocation must have, read from a `SigningPolicy` (`[allocation]`, the per-adapter
/// maxima, `rate.max_turnover_bps`) or, without one, the seed's numbers: 5 % steps, a non-zero weight of at least
/// 5 %, at most 50 % per market, a reserve of at least 5 %, weights summing to 10000.
///
/// `project(_:)` turns any wish (fractions from an optimizer, a softmax from the PPO agent) into the nearest
/// allocation on the 5 % grid that the policy's allocation rules accept; `limitingTurnover(from:toward:)` then
/// shortens a move the per-proposal turnover cap would refuse. Neither can produce an invalid allocation: the
/// projection's properties are tested, and the simulator still runs the real `PolicyEvaluator` on every proposal.
public struct AllocationConstraints: Sendable, Hashable {
    /// The grid weights move on (the seed's 5 % increments).
    public var stepBps: Int
    public var minWeightBps: Int
    /// Per market, aligned with the panel's markets: the adapter's effective maximum; 0 for a market outside
    /// the allowlist.
    public var maxWeightBps: [Int]
    public var minReserveBps: Int
    public var maxTargets: Int
    /// A proposal that moves less than this is not made (`CHANGE_BELOW_MIN`).
    public var minChangeBps: Int
    /// Per-proposal turnover cap (`rate.max_turnover_bps`).
    public var maxTurnoverBps: Int
    /// `rate.cooldown` in seconds: a rebalance sooner than this after the last approval is refused.
    public var cooldownSeconds: Int64
    /// `rate.max_rebalances_per_24h` and `rate.max_turnover_bps_per_24h`.
    public var maxRebalancesPer24h: Int
    public var maxTurnoverBpsPer24h: Int
    /// `economics.max_risk_score`: a proposal claiming a higher market risk score is refused.
    public var maxRiskScore: Int

    public init(stepBps: Int = 500, minWeightBps: Int = 500, maxWeightBps: [Int], minReserveBps: Int = 500,
                maxTargets: Int = 8, minChangeBps: Int = 500, maxTurnoverBps: Int = 10_000,
                cooldownSeconds: Int64 = 21_600, maxRiskScore: Int = 69, maxRebalancesPer24h: Int = 4,
                maxTurnoverBpsPer24h: Int = 10_000) {
        self.stepBps = max(1, stepBps)
        self.minWeightBps = minWeightBps
        self.maxWeightBps = maxWeightBps
        self.minReserveBps = minReserveBps
        self.maxTargets = maxTargets
        self.minChangeBps = minChangeBps
        self.maxTurnoverBps = maxTurnoverBps
        self.cooldownSeconds = cooldownSeconds
        self.maxRiskScore = maxRiskScore
        self.maxRebalancesPer24h = maxRebalancesPer24h
        self.maxTurnoverBpsPer24h = maxTurnoverBpsPer24h
    }

    /// The constraints `policy` puts on `markets` (each market's bound is its adapter's effective maximum).
    public init(policy: SigningPolicy, markets: [MarketInfo], stepBps: Int = 500) {
        let a = policy.allocation
        self.init(stepBps: stepBps, minWeightBps: a.minWeightBps,
                  maxWeightBps: markets.map { policy.effectiveMaxWeightBps(for: $0.adapter) ?? 0 },
                  minReserveBps: a.minReserveBps, maxTargets: a.maxTargets, minChangeBps: a.minChangeBps,
                  maxTurnoverBps: policy.rate.maxTurnoverBps, cooldownSeconds: policy.rate.cooldown.seconds,
                  maxRiskScore: policy.economics.maxRiskScore, maxRebalancesPer24h: policy.rate.maxRebalancesPer24h,
                  maxTurnoverBpsPer24h: policy.rate.maxTurnoverBpsPer24h)
    }

    /// The seed's constraints for `marketCount` markets, with no policy at hand.
    public static func seed(marketCount: Int) -> AllocationConstraints {
        AllocationConstraints(maxWeightBps: Array(repeating: 5_000, count: marketCount))
    }

    /// The largest weight on the grid `market` may hold.
    public func capBps(_ market: Int) -> Int { maxWeightBps[market] / stepBps * stepBps }

    /// The smallest non-zero weight on the grid.
    var smallestPositionBps: Int { (minWeightBps + stepBps - 1) / stepBps * stepBps }

    /// The nearest allocation to `wish` that satisfies every allocation rule.
    ///
    /// `wish` holds a non-negative desire per market and, optionally, one more entry for the reserve; it is
    /// normalised to sum to one. Markets for which `isAllowed` is false (unavailable at this step) get nothing.
    /// The reserve gets at least its minimum, rounded up to the grid; each market is rounded to the grid within
    /// its cap; positions under the minimum are dropped; at most `maxTargets` are kept; what cannot be placed
    /// stays in the reserve.
    public func project(_ wish: [Double], isAllowed: (Int) -> Bool = { _ in true }) -> TargetWeights {
        let n = maxWeightBps.count
        var desire = (0..<n).map { m -> Double in
            let value = m < wish.count ? wish[m] : 0
            return isAllowed(m) && value.isFinite && value > 0 && capBps(m) >= smallestPositionBps ? value : 0
        }
        let reserveWish = wish.count > n && wish[n].isFinite ? max(0, wish[n]) : 0
        let total = desire.reduce(reserveWish, +)
        guard total > 0 else { return .allReserve(marketCount: n) }
        desire = desire.map { $0 / total * 10_000 }
        let reserve = max(roundUp(minReserveBps), roundUp(Int((reserveWish / total * 10_000).rounded())))
        let budget = max(0, 10_000 - reserve)

        // Keep the `maxTargets` largest wishes that can hold a position at all.
        let ranked = (0..<n).filter { desire[$0] > 0 }
            .sorted { desire[$0] > desire[$1] || desire[$0] == desire[$1] && $0 < $1 }
        let kept = Set(ranked.prefix(maxTargets))
        var bps = (0..<n).map { m -> Int in
            guard kept.contains(m) else { return 0 }
            let rounded = Int((desire[m] / Double(stepBps)).rounded()) * stepBps
            let capped = min(rounded, capBps(m))
            return capped >= smallestPositionBps ? capped : 0
        }
        // Trim the most over-weighted market until the budget holds.
        while bps.reduce(0, +) > budget {
            guard let m = bps.indices.filter({ bps[$0] > 0 })
                .max(by: { Double(bps[$0]) - desire[$0] < Double(bps[$1]) - desire[$1] }) else { break }
            bps[m] = bps[m] - stepBps >= smallestPositionBps ? bps[m] - stepBps : 0
        }
        // Fill the most under-weighted market with room, while a step fits in the budget.
        while true {
            let left = budget - bps.reduce(0, +)
            let candidates = bps.indices.filter { m in
                guard kept.contains(m) else { return false }
                let add = bps[m] == 0 ? smallestPositionBps : stepBps
                let opens = bps[m] == 0 ? 1 : 0
                return add <= left && bps[m] + add <= capBps(m)
                    && bps.filter { $0 > 0 }.count + opens <= maxTargets
            }
            guard let m = candidates.max(by: { desire[$0] - Double(bps[$0]) < desire[$1] - Double(bps[$1]) })
            else { break }
            bps[m] += bps[m] == 0 ? smallestPositionBps : stepBps
        }
        return TargetWeights(bps: bps, reserveBps: 10_000 - bps.reduce(0, +))
    }

    /// Fills markets in `ranking` order, each up to its cap, keeping the minimum reserve: the concentrated
    /// allocation of "put it in the best market" strategies under a concentration limit.
    public func fill(ranking: [Int]) -> TargetWeights {
        var bps = Array(repeating: 0, count: maxWeightBps.count)
        var left = 10_000 - roundUp(minReserveBps)
        var count = 0
        for m in ranking where count < maxTargets && left >= smallestPositionBps {
            let take = min(capBps(m), left / stepBps * stepBps)
            guard take >= smallestPositionBps else { continue }
            bps[m] = take
            left -= take
            count += 1
        }
        return TargetWeights(bps: bps, reserveBps: 10_000 - bps.reduce(0, +))
    }

    /// `target`, or the furthest allocation toward it from `current` whose turnover stays within
    /// `maxTurnoverBps` (the policy measures turnover against the last approved allocation).
    public func limitingTurnover(from current: TargetWeights, toward target: TargetWeights) -> TargetWeights {
        let turnover = target.turnoverBps(from: current)
        guard turnover > maxTurnoverBps else { return target }
        var fraction = Double(maxTurnoverBps) / Double(turnover)
        while fraction > 0.01 {
            let a = current.fractions
            let b = target.fractions
            let wish = zip(a, b).map { $0 + fraction * ($1 - $0) }
            let step = project(wish, isAllowed: { target.bps[$0] > 0 || current.bps[$0] > 0 })
            if step.turnoverBps(from: current) <= maxTurnoverBps && violations(step).isEmpty { return step }
            fraction *= 0.9
        }
        return current
    }

    /// What is wrong with `weights` under these constraints (empty when nothing is): the allocation rules the
    /// policy will check, in words.
    public func violations(_ weights: TargetWeights) -> [String] {
        var out: [String] = []
        if weights.bps.count != maxWeightBps.count { out.append("weights for \(weights.bps.count) markets") }
        if weights.totalBps != 10_000 { out.append("sum \(weights.totalBps) ≠ 10000") }
        if weights.reserveBps < minReserveBps { out.append("reserve \(weights.reserveBps) < \(minReserveBps)") }
        for (m, w) in weights.bps.enumerated() {
            if w < 0 { out.append("market \(m) negative") }
            if w > 0 && w < minWeightBps { out.append("market \(m) weight \(w) < \(minWeightBps)") }
            if m < maxWeightBps.count && w > maxWeightBps[m] { out.append("market \(m) weight \(w) > cap") }
        }
        if weights.heldMarkets.count > maxTargets { out.append("\(weights.heldMarkets.count) targets") }
        return out
    }

    private func roundUp(_ bps: Int) -> Int { (max(0, bps) + stepBps - 1) / stepBps * stepBps }
}
