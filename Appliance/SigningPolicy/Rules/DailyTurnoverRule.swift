/// `rate.max_turnover_per_24h`: the turnover of the approvals decided in the rolling 24 h plus this proposal's
/// is at most `rate.max_turnover_bps_per_24h`. Code: `TURNOVER_LIMIT_24H`. Not applicable to an `emergency_exit`.
public struct DailyTurnoverRule: PolicyRule {
    public let name = "rate.max_turnover_per_24h"
    public let codes: Set<ReasonCode> = [.turnoverLimit24h]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let booked = state.approvals(inWindowEndingAt: now).reduce(0) { Saturating.add($0, max($1.turnoverBps, 0)) }
        let turnover = Turnover.bps(of: proposal, against: state.lastApproved)
        let total = Saturating.add(booked, turnover)
        guard total <= policy.rate.maxTurnoverBpsPer24h else {
            return fail(.turnoverLimit24h, "\(booked) bps in the last 24 h + \(turnover) bps = \(total) bps, above "
                            + "\(policy.rate.maxTurnoverBpsPer24h) bps")
        }
        return .passed
    }
}
