/// `economics.min_edge`: the planner's claimed `apy_gain_bps` exceeds `gas_cost_bps` + `economics.min_edge_bps`
/// (equal is not enough). Code: `EDGE_BELOW_MIN`. Not applicable to an `emergency_exit`.
public struct MinEdgeRule: PolicyRule {
    public let name = "economics.min_edge"
    public let codes: Set<ReasonCode> = [.edgeBelowMin]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let expected = proposal.expected
        let required = Saturating.add(max(expected.gasCostBps, 0), policy.economics.minEdgeBps)
        guard expected.apyGainBps > required else {
            return fail(.edgeBelowMin, "claimed gain \(expected.apyGainBps) bps does not exceed gas "
                            + "\(expected.gasCostBps) bps + minimum edge \(policy.economics.minEdgeBps) bps")
        }
        return .passed
    }
}
