import Ethereum

/// How much of the treasury a proposal moves: ½ Σ |new − old| over every adapter and the reserve, in bps,
/// against the last approved allocation (before the first approval, everything is reserve).
public enum Turnover {
    /// Weights are clamped to ±1,000,000,000 first so that hostile values cannot overflow; any weight outside
    /// 0…10000 is rejected by the allocation rules anyway. Rounds half-bps up (fail closed).
    public static func bps(of proposal: Proposal, against previous: PolicyState.ApprovedAllocation?) -> Int {
        let old = previous ?? .allInReserve
        var new: [Address: Int] = [:]
        for target in proposal.targets {
            new[target.adapter, default: 0] = clamp(new[target.adapter, default: 0] + clamp(target.weightBps))
        }
        var total = abs(clamp(proposal.reserveBps) - clamp(old.reserveBps))
        for adapter in Set(new.keys).union(old.weights.keys) {
            total = clamp(total + abs(new[adapter, default: 0] - clamp(old.weights[adapter, default: 0])))
        }
        return (total + 1) / 2
    }

    private static func clamp(_ value: Int) -> Int { min(max(value, -1_000_000_000), 1_000_000_000) }
}
