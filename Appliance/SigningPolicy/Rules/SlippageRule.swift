import Ethereum

/// `slippage`: `max_slippage_bps` lies in 0 … the smallest `[slippage]` cap among the classes of the adapters
/// involved: every adapter in the new targets and every adapter with a non-zero weight in the last approved
/// allocation. An adapter outside the allowlist counts as the smallest cap of all, and so does a proposal that
/// involves no adapter. Code: `SLIPPAGE_ABOVE_MAX`. Applies to both kinds.
public struct SlippageRule: PolicyRule {
    public let name = "slippage"
    public let codes: Set<ReasonCode> = [.slippageAboveMax]
    public init() {}

    /// The cap that applies to `proposal`.
    public static func capBps(for proposal: Proposal, policy: SigningPolicy, state: PolicyState) -> Int {
        var involved: Set<Address> = Set(proposal.targets.map(\.adapter))
        for (adapter, weight) in state.lastApproved?.weights ?? [:] where weight != 0 { involved.insert(adapter) }
        guard !involved.isEmpty else { return policy.smallestSlippageCapBps }
        return involved.map { policy.slippageCapBps(for: $0) }.min() ?? policy.smallestSlippageCapBps
    }

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        let cap = SlippageRule.capBps(for: proposal, policy: policy, state: state)
        guard proposal.maxSlippageBps >= 0, proposal.maxSlippageBps <= cap else {
            return fail(.slippageAboveMax, "max_slippage_bps \(proposal.maxSlippageBps) is outside 0…\(cap) "
                            + "(the smallest cap among the adapters involved)")
        }
        return .passed
    }
}
