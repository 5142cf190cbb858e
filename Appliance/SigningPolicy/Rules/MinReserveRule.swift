/// `allocation.min_reserve`: `reserve_bps` is at least `allocation.min_reserve_bps`. Code: `RESERVE_BELOW_MIN`.
/// Applies to both kinds.
public struct MinReserveRule: PolicyRule {
    public let name = "allocation.min_reserve"
    public let codes: Set<ReasonCode> = [.reserveBelowMin]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.reserveBps >= policy.allocation.minReserveBps else {
            return fail(.reserveBelowMin,
                        "reserve \(proposal.reserveBps) is below the minimum \(policy.allocation.minReserveBps)")
        }
        return .passed
    }
}
