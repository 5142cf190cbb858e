/// The pinned rejection codes of DESIGN.md. Stable: outside tools and tests match on these strings.
public enum ReasonCode: String, Hashable, Sendable, CaseIterable, Codable {
    case wrongChain = "WRONG_CHAIN"
    case kindNotAllowed = "KIND_NOT_ALLOWED"
    case adapterNotAllowed = "ADAPTER_NOT_ALLOWED"
    case duplicateAdapter = "DUPLICATE_ADAPTER"
    case tooManyTargets = "TOO_MANY_TARGETS"
    case weightAboveMax = "WEIGHT_ABOVE_MAX"
    case weightBelowMin = "WEIGHT_BELOW_MIN"
    case reserveBelowMin = "RESERVE_BELOW_MIN"
    case weightSumInvalid = "WEIGHT_SUM_INVALID"
    case changeBelowMin = "CHANGE_BELOW_MIN"
    case cooldownActive = "COOLDOWN_ACTIVE"
    case rebalanceLimit24h = "REBALANCE_LIMIT_24H"
    case turnoverAboveMax = "TURNOVER_ABOVE_MAX"
    case turnoverLimit24h = "TURNOVER_LIMIT_24H"
    case maxFeeAboveCap = "MAX_FEE_ABOVE_CAP"
    case priorityFeeAboveCap = "PRIORITY_FEE_ABOVE_CAP"
    case gasLimitAboveCap = "GAS_LIMIT_ABOVE_CAP"
    case slippageAboveMax = "SLIPPAGE_ABOVE_MAX"
    case edgeBelowMin = "EDGE_BELOW_MIN"
    case riskScoreAboveMax = "RISK_SCORE_ABOVE_MAX"
    case proposalExpired = "PROPOSAL_EXPIRED"
    case proposalFromFuture = "PROPOSAL_FROM_FUTURE"
    case duplicateID = "DUPLICATE_ID"
    case killSwitchEngaged = "KILL_SWITCH_ENGAGED"
    case exitNotToSafeHaven = "EXIT_NOT_TO_SAFE_HAVEN"
}

/// Why a rule failed: the pinned code, the rule's stable name (`rate.cooldown`), and a message for a person.
public struct Reason: Hashable, Sendable {
    public var code: ReasonCode
    public var rule: String
    public var message: String

    public init(code: ReasonCode, rule: String, message: String) {
        self.code = code
        self.rule = rule
        self.message = message
    }
}
