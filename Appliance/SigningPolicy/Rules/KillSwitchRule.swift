/// `kill_switch`: no `rebalance` while the kill switch is engaged. An `emergency_exit` passes whether or not it
/// is engaged (moving to the safe haven only reduces risk). Code: `KILL_SWITCH_ENGAGED`.
public struct KillSwitchRule: PolicyRule {
    public let name = "kill_switch"
    public let codes: Set<ReasonCode> = [.killSwitchEngaged]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance, state.killSwitchEngaged else { return .passed }
        return fail(.killSwitchEngaged,
                    "the kill switch is engaged: only an emergency_exit to the safe haven is allowed")
    }
}
