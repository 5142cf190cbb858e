/// `economics.max_risk_score`: the planner's claimed `max_risk_score` lies in 0 … `economics.max_risk_score`.
/// Code: `RISK_SCORE_ABOVE_MAX`. Not applicable to an `emergency_exit`.
public struct RiskScoreRule: PolicyRule {
    public let name = "economics.max_risk_score"
    public let codes: Set<ReasonCode> = [.riskScoreAboveMax]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        guard proposal.kind == .rebalance else { return .notApplicable }
        let score = proposal.expected.maxRiskScore
        guard score >= 0, score <= policy.economics.maxRiskScore else {
            return fail(.riskScoreAboveMax,
                        "claimed risk score \(score) is outside 0…\(policy.economics.maxRiskScore)")
        }
        return .passed
    }
}
