/// `allocation.max_weight`: every weight is at most its adapter's effective maximum (the smaller of the adapter's
/// `max_weight_bps` and `allocation.max_weight_bps`; the global one for an adapter outside the allowlist).
/// Code: `WEIGHT_ABOVE_MAX`. Not applicable to an `emergency_exit` (it puts everything into the safe haven).
public struct MaxWeightRule: PolicyRule {
    public let name = "allocation.max_weight"
    public let codes: Set<ReasonCode> = [.weightAboveMax]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        var over: [String] = []
        for target in proposal.targets {
            let bound = policy.effectiveMaxWeightBps(for: target.adapter) ?? policy.allocation.maxWeightBps
            if target.weightBps > bound {
                over.append("\(target.adapter.checksummed) \(target.weightBps) > \(bound)")
            }
        }
        guard over.isEmpty else {
            return fail(.weightAboveMax, "above the maximum weight: \(over.joined(separator: ", "))")
        }
        return .passed
    }
}
