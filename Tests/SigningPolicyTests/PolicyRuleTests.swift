import BigInt
import Ethereum
import SigningPolicy
import Testing

/// Every rule, paired: one proposal it allows, one it rejects with exactly its code.
@Suite struct PolicyRuleTests {
    typealias F = PolicyFixtures

    func outcome(_ decision: PolicyDecision, _ rule: String) -> RuleResult? {
        decision.rules.first { $0.rule == rule }?.result
    }

    func expectRejected(
        _ decision: PolicyDecision, only codes: Set<ReasonCode>, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!decision.approved, sourceLocation: sourceLocation)
        #expect(Set(decision.codes) == codes, "reasons: \(decision.reasons)", sourceLocation: sourceLocation)
    }

    // MARK: - The baseline

    @Test func baselineProposalIsApprovedByEveryRule() {
        let decision = F.decide()
        #expect(decision.approved, "\(decision.reasons)")
        #expect(decision.reasons.isEmpty)
        #expect(decision.turnoverBps == 2500)
        #expect(decision.rules.map(\.rule) == PolicyEvaluator.standardRules.map(\.name))
        #expect(Set(decision.rules.map(\.rule)).count == 25)
    }

    @Test func baselineEmergencyExitIsApprovedEvenWithTheKillSwitchEngaged() {
        var state = F.state
        state.killSwitchEngaged = true
        #expect(F.decide(F.exit, state: state).approved)
        #expect(F.decide(F.exit).approved)
    }

    // MARK: - chain

    @Test func chainRuleAcceptsThePolicyChain() {
        #expect(outcome(F.decide(), "chain") == .passed)
    }

    @Test func chainRuleRejectsAnotherChainWithWrongChain() {
        var p = F.proposal
        p.chainID = 10
        expectRejected(F.decide(p), only: [.wrongChain])
    }

    // MARK: - kind

    @Test func kindRuleAcceptsKindsThePolicyAllows() {
        #expect(outcome(F.decide(), "kind") == .passed)
        #expect(outcome(F.decide(F.exit), "kind") == .passed)
    }

    @Test func kindRuleRejectsAKindRemovedFromProposalKinds() throws {
        let policy = try SigningPolicy.load(toml: F.demo(
            replacing: "max_future_skew = \"30s\"", with: "max_future_skew = \"30s\"\nkinds = [\"emergency_exit\"]"))
        expectRejected(F.decide(policy: policy), only: [.kindNotAllowed])
        #expect(F.decide(F.exit, policy: policy).approved)
    }

    @Test func kindRuleRejectsAnExitWhenThePolicyHasNoSafeHaven() {
        var policy = F.demo
        policy.safeHaven = nil
        expectRejected(F.decide(F.exit, policy: policy), only: [.kindNotAllowed, .exitNotToSafeHaven])
    }

    // MARK: - adapters

    @Test func allowlistAcceptsListedAdaptersComparedAsBytes() throws {
        var p = F.proposal
        p.targets[0].adapter = try Address(hex: "0xDD4B699CFCA7BDB6E36EA0AACD6C4DE98B95B60C")
        #expect(F.decide(p).approved)
    }

    @Test func allowlistRejectsAnUnlistedAdapterWithAdapterNotAllowed() {
        var p = F.proposal
        p.targets[2].adapter = F.stranger
        expectRejected(F.decide(p), only: [.adapterNotAllowed])
    }

    @Test func emptyAllowlistAllowsNothing() {
        var policy = F.demo
        policy.adapters = [:]
        let decision = F.decide(policy: policy)
        #expect(!decision.approved)
        #expect(decision.codes.contains(.adapterNotAllowed))
    }

    @Test func duplicateAdapterRuleAcceptsDistinctAdapters() {
        #expect(outcome(F.decide(), "adapters.duplicate") == .passed)
    }

    @Test func duplicateAdapterRuleRejectsTheSameAdapterTwice() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 2000), .init(adapter: F.aaveUSDT, weightBps: 3000),
                     .init(adapter: F.aaveUSDC, weightBps: 2000), .init(adapter: F.curve3pool, weightBps: 2500)]
        expectRejected(F.decide(p), only: [.duplicateAdapter])
    }

    // MARK: - allocation

    @Test func maxTargetsAcceptsUpToTheLimit() {
        var policy = F.demo
        policy.allocation.maxTargets = 3
        #expect(F.decide(policy: policy).approved)
    }

    @Test func maxTargetsRejectsOneTargetTooManyWithTooManyTargets() {
        var policy = F.demo
        policy.allocation.maxTargets = 2
        expectRejected(F.decide(policy: policy), only: [.tooManyTargets])
    }

    @Test func maxWeightAcceptsAWeightAtTheAdapterMaximum() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4000), .init(adapter: F.aaveUSDT, weightBps: 2500),
                     .init(adapter: F.curve3pool, weightBps: 3000)]
        #expect(F.decide(p).approved)
    }

    @Test func maxWeightRejectsAWeightAboveTheAdapterMaximumWithWeightAboveMax() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4000), .init(adapter: F.aaveUSDT, weightBps: 2000),
                     .init(adapter: F.curve3pool, weightBps: 3500)]
        expectRejected(F.decide(p), only: [.weightAboveMax])
    }

    @Test func maxWeightRejectsAWeightAboveTheGlobalMaximumEvenIfTheAdapterAllowsMore() {
        var policy = F.demo
        policy.adapters[F.aaveUSDC]?.maxWeightBps = 9000
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 5500), .init(adapter: F.aaveUSDT, weightBps: 4000)]
        expectRejected(F.decide(p, policy: policy), only: [.weightAboveMax])
    }

    @Test func minWeightAcceptsZeroAndWeightsAtTheMinimum() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4000), .init(adapter: F.aaveUSDT, weightBps: 5000),
                     .init(adapter: F.curve3pool, weightBps: 500), .init(adapter: F.uniswapUSDCUSDT, weightBps: 0)]
        p.maxSlippageBps = 10
        #expect(F.decide(p).approved, "\(F.decide(p).reasons)")
    }

    @Test func minWeightRejectsADustPositionWithWeightBelowMin() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4000), .init(adapter: F.aaveUSDT, weightBps: 3100),
                     .init(adapter: F.curve3pool, weightBps: 2000), .init(adapter: F.uniswapUSDCUSDT, weightBps: 400)]
        expectRejected(F.decide(p), only: [.weightBelowMin])
    }

    @Test func minReserveAcceptsTheMinimumReserve() {
        #expect(outcome(F.decide(), "allocation.min_reserve") == .passed)
    }

    @Test func minReserveRejectsAThinReserveWithReserveBelowMin() {
        var p = F.proposal
        p.targets[1].weightBps = 3100
        p.reserveBps = 400
        expectRejected(F.decide(p), only: [.reserveBelowMin])
    }

    @Test func weightSumAcceptsExactlyTenThousand() {
        #expect(outcome(F.decide(), "allocation.weight_sum") == .passed)
    }

    @Test func weightSumRejectsNineThousandNineHundredNinetyNineWithWeightSumInvalid() {
        var p = F.proposal
        p.targets[0].weightBps = 3999
        expectRejected(F.decide(p), only: [.weightSumInvalid])
    }

    @Test func weightSumRejectsANegativeWeightEvenIfTheTotalIsRight() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 5000), .init(adapter: F.aaveUSDT, weightBps: 5000),
                     .init(adapter: F.curve3pool, weightBps: -500)]
        let decision = F.decide(p)
        #expect(!decision.approved)
        #expect(decision.codes.contains(.weightSumInvalid))
    }

    @Test func minChangeAcceptsAMoveOfExactlyTheMinimum() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4500), .init(adapter: F.aaveUSDT, weightBps: 4500),
                     .init(adapter: F.curve3pool, weightBps: 500)]
        let decision = F.decide(p)
        #expect(decision.turnoverBps == 500)
        #expect(decision.approved)
    }

    @Test func minChangeRejectsATinyMoveWithChangeBelowMin() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 4800), .init(adapter: F.aaveUSDT, weightBps: 4700)]
        let decision = F.decide(p)
        #expect(decision.turnoverBps == 200)
        expectRejected(decision, only: [.changeBelowMin])
    }

    // MARK: - rate

    @Test func cooldownAllowsARebalanceSixHoursAfterTheLast() {
        var state = F.state
        state.lastRebalanceAt = F.now - F.hours(6)
        #expect(F.decide(state: state).approved)
    }

    @Test func cooldownRejectsSecondRebalanceWithinSixHours() {
        var state = F.state
        state.lastRebalanceAt = F.now - Duration(seconds: 6 * 3_600 - 1)
        expectRejected(F.decide(state: state), only: [.cooldownActive])
    }

    @Test func cooldownTreatsALastApprovalInTheFutureAsActive() {
        var state = F.state
        state.lastRebalanceAt = F.now + F.hours(1)
        expectRejected(F.decide(state: state), only: [.cooldownActive])
    }

    @Test func rebalanceLimitAllowsTheFourthRebalanceInADay() {
        var state = F.state
        state.recentApprovals = (0..<3).map { .init(decidedAt: F.now - F.hours(7 + Int64($0)), turnoverBps: 1000) }
        #expect(F.decide(state: state).approved)
    }

    @Test func rebalanceLimitRejectsTheFifthWithRebalanceLimit24h() {
        var state = F.state
        state.recentApprovals = (0..<4).map { .init(decidedAt: F.now - F.hours(7 + Int64($0)), turnoverBps: 1000) }
        expectRejected(F.decide(state: state), only: [.rebalanceLimit24h])
    }

    @Test func rebalanceLimitForgetsApprovalsOlderThanTwentyFourHours() {
        var state = F.state
        state.recentApprovals = (0..<4).map { .init(decidedAt: F.now - F.hours(24 + Int64($0)), turnoverBps: 1000) }
        #expect(F.decide(state: state).approved)
    }

    @Test func turnoverCapAllowsAMoveOfExactlyTheCap() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 2500), .init(adapter: F.aaveUSDT, weightBps: 2000),
                     .init(adapter: F.curve3pool, weightBps: 3000), .init(adapter: F.uniswapUSDCUSDT, weightBps: 2000)]
        let decision = F.decide(p)
        #expect(decision.turnoverBps == 5000)
        #expect(decision.approved, "\(decision.reasons)")
    }

    @Test func turnoverCapRejectsAMoveAboveTheCapWithTurnoverAboveMax() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 2500), .init(adapter: F.aaveUSDT, weightBps: 1900),
                     .init(adapter: F.curve3pool, weightBps: 3000), .init(adapter: F.uniswapUSDCUSDT, weightBps: 2000)]
        p.reserveBps = 600
        let decision = F.decide(p)
        #expect(decision.turnoverBps == 5100)
        expectRejected(decision, only: [.turnoverAboveMax])
    }

    @Test func turnoverBeforeTheFirstApprovalCountsEverythingAsReserve() {
        var state = PolicyState()
        state.lastApproved = nil
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 5000)]
        p.reserveBps = 5000
        let decision = F.decide(p, state: state)
        #expect(decision.turnoverBps == 5000)
        #expect(decision.approved, "\(decision.reasons)")
    }

    @Test func dailyTurnoverAllowsReachingTheBudgetExactly() {
        var state = F.state
        state.recentApprovals = [.init(decidedAt: F.now - F.hours(7), turnoverBps: 7500)]
        #expect(F.decide(state: state).approved)
    }

    @Test func dailyTurnoverRejectsGoingOverTheBudgetWithTurnoverLimit24h() {
        var state = F.state
        state.recentApprovals = [.init(decidedAt: F.now - F.hours(7), turnoverBps: 7501)]
        expectRejected(F.decide(state: state), only: [.turnoverLimit24h])
    }

    // MARK: - gas

    @Test func gasCapsAllowFeesAtTheCaps() {
        var p = F.proposal
        p.gas = .init(maxFeePerGas: F.gwei(150), maxPriorityFeePerGas: F.gwei(3), gasLimit: 500_000)
        #expect(F.decide(p).approved)
    }

    @Test func maxFeeOneWeiAboveTheCapIsRejectedWithMaxFeeAboveCap() {
        var p = F.proposal
        p.gas.maxFeePerGas = F.gwei(150) + 1
        expectRejected(F.decide(p), only: [.maxFeeAboveCap])
    }

    @Test func priorityFeeAboveTheCapIsRejectedWithPriorityFeeAboveCap() {
        var p = F.proposal
        p.gas.maxPriorityFeePerGas = F.gwei(3) + 1
        expectRejected(F.decide(p), only: [.priorityFeeAboveCap])
    }

    @Test func gasLimitAboveTheCapIsRejectedWithGasLimitAboveCap() {
        var p = F.proposal
        p.gas.gasLimit = 500_001
        expectRejected(F.decide(p), only: [.gasLimitAboveCap])
    }

    // MARK: - slippage

    @Test func slippageAllowsTheStablePoolCapWhenOnlyStablePoolsAreInvolved() {
        var state = F.state
        state.lastApproved = .init(weights: [F.curve3pool: 3000, F.uniswapUSDCUSDT: 2000], reserveBps: 5000)
        var p = F.proposal
        p.targets = [.init(adapter: F.curve3pool, weightBps: 2000), .init(adapter: F.uniswapUSDCUSDT, weightBps: 2000)]
        p.reserveBps = 6000
        p.maxSlippageBps = 50
        #expect(F.decide(p, state: state).approved, "\(F.decide(p, state: state).reasons)")
    }

    @Test func slippageUsesTheSmallestCapAmongNewAndPreviousAdapters() {
        var state = F.state
        state.lastApproved = .init(weights: [F.aaveUSDC: 3000, F.uniswapUSDCUSDT: 2000], reserveBps: 5000)
        var p = F.proposal
        p.targets = [.init(adapter: F.curve3pool, weightBps: 2000), .init(adapter: F.uniswapUSDCUSDT, weightBps: 2000)]
        p.reserveBps = 6000
        p.maxSlippageBps = 50
        expectRejected(F.decide(p, state: state), only: [.slippageAboveMax])
    }

    @Test func slippageAboveTheLendingCapIsRejectedWithSlippageAboveMax() {
        var p = F.proposal
        p.maxSlippageBps = 11
        expectRejected(F.decide(p), only: [.slippageAboveMax])
    }

    // MARK: - economics

    @Test func minEdgeAllowsAGainOneAboveGasPlusEdge() {
        var p = F.proposal
        p.expected = .init(apyGainBps: 53, gasCostBps: 2, maxRiskScore: 35)
        #expect(F.decide(p).approved)
    }

    @Test func minEdgeRejectsAGainEqualToGasPlusEdgeWithEdgeBelowMin() {
        var p = F.proposal
        p.expected = .init(apyGainBps: 52, gasCostBps: 2, maxRiskScore: 35)
        expectRejected(F.decide(p), only: [.edgeBelowMin])
    }

    @Test func riskScoreAllowsTheMaximum() {
        var p = F.proposal
        p.expected.maxRiskScore = 69
        #expect(F.decide(p).approved)
    }

    @Test func riskScoreAboveTheMaximumIsRejectedWithRiskScoreAboveMax() {
        var p = F.proposal
        p.expected.maxRiskScore = 70
        expectRejected(F.decide(p), only: [.riskScoreAboveMax])
    }

    // MARK: - freshness and ids

    @Test func maxAgeAllowsAProposalExactlyTenMinutesOld() {
        var p = F.proposal
        p.createdAt = F.now - Duration(seconds: 600)
        #expect(F.decide(p).approved)
    }

    @Test func maxAgeRejectsAStaleProposalWithProposalExpired() {
        var p = F.proposal
        p.createdAt = F.now - Duration(seconds: 601)
        expectRejected(F.decide(p), only: [.proposalExpired])
    }

    @Test func futureSkewAllowsThirtySecondsAhead() {
        var p = F.proposal
        p.createdAt = F.now + Duration(seconds: 30)
        #expect(F.decide(p).approved)
    }

    @Test func futureSkewRejectsThirtyOneSecondsAheadWithProposalFromFuture() {
        var p = F.proposal
        p.createdAt = F.now + Duration(seconds: 31)
        expectRejected(F.decide(p), only: [.proposalFromFuture])
    }

    @Test func extremeTimestampsAreRejectedWithoutTrapping() {
        var p = F.proposal
        p.createdAt = Timestamp(seconds: .min)
        expectRejected(F.decide(p), only: [.proposalExpired])
        p.createdAt = Timestamp(seconds: .max)
        expectRejected(F.decide(p), only: [.proposalFromFuture])
    }

    @Test func duplicateIDRuleAllowsANewID() {
        #expect(outcome(F.decide(), "proposal.duplicate_id") == .passed)
    }

    @Test func duplicateIDRuleRejectsASeenIDWithDuplicateID() {
        var state = F.state
        state.isDuplicateID = true
        expectRejected(F.decide(state: state), only: [.duplicateID])
    }

    // MARK: - kill switch and emergency exit

    @Test func killSwitchAllowsARebalanceWhileReleased() {
        #expect(outcome(F.decide(), "kill_switch") == .passed)
    }

    @Test func killSwitchRejectsARebalanceWhileEngagedWithKillSwitchEngaged() {
        var state = F.state
        state.killSwitchEngaged = true
        expectRejected(F.decide(state: state), only: [.killSwitchEngaged])
    }

    @Test func safeHavenRuleDoesNotApplyToARebalance() {
        #expect(outcome(F.decide(), "kill_switch.safe_haven") == .notApplicable)
    }

    @Test func exitToAnotherAdapterIsRejectedWithExitNotToSafeHaven() {
        var p = F.exit
        p.targets = [.init(adapter: F.aaveUSDT, weightBps: 9500)]
        expectRejected(F.decide(p), only: [.exitNotToSafeHaven])
    }

    @Test func exitWithTheWrongWeightIsRejectedWithExitNotToSafeHaven() {
        var p = F.exit
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: 9000)]
        p.reserveBps = 500
        let decision = F.decide(p)
        #expect(!decision.approved)
        #expect(decision.codes.contains(.exitNotToSafeHaven))
    }

    @Test func exitIsExemptFromCooldownCountTurnoverMinChangeWeightCapsAndEconomics() {
        var state = F.state
        state.lastRebalanceAt = F.now - Duration(seconds: 60)
        state.recentApprovals = (0..<4).map { .init(decidedAt: F.now - F.hours(Int64($0)), turnoverBps: 5000) }
        state.lastApproved = .init(weights: [F.aaveUSDC: 9500], reserveBps: 500)  // no change at all
        var p = F.exit
        p.expected = .init(apyGainBps: -100, gasCostBps: 50, maxRiskScore: 100)
        let decision = F.decide(p, state: state)
        #expect(decision.approved, "\(decision.reasons)")
        for rule in ["rate.cooldown", "rate.max_rebalances_per_24h", "rate.max_turnover", "rate.max_turnover_per_24h",
                     "allocation.min_change", "allocation.max_weight", "economics.min_edge",
                     "economics.max_risk_score"] {
            #expect(outcome(decision, rule) == .notApplicable, "\(rule)")
        }
    }

    @Test func exitIsNeverExemptFromFreshnessDuplicateIDsGasOrSlippage() {
        var p = F.exit
        p.createdAt = F.now - F.hours(1)
        p.gas = .init(maxFeePerGas: F.gwei(151), maxPriorityFeePerGas: F.gwei(4), gasLimit: 500_001)
        p.maxSlippageBps = 11
        var state = F.state
        state.isDuplicateID = true
        expectRejected(F.decide(p, state: state), only: [
            .proposalExpired, .duplicateID, .maxFeeAboveCap, .priorityFeeAboveCap, .gasLimitAboveCap,
            .slippageAboveMax,
        ])
    }

    // MARK: - the evaluator

    @Test func evaluatorListsEveryFailingRule() {
        var p = F.proposal
        p.chainID = 5
        p.maxSlippageBps = 100
        p.expected.maxRiskScore = 90
        var state = F.state
        state.killSwitchEngaged = true
        state.lastRebalanceAt = F.now
        let decision = F.decide(p, state: state)
        expectRejected(decision, only: [.wrongChain, .slippageAboveMax, .riskScoreAboveMax, .killSwitchEngaged,
                                        .cooldownActive])
        #expect(decision.rules.filter { !$0.passed }.count == 5)
    }

    @Test func everyRuleHasAStableNameAndDeclaresItsCodes() {
        let rules = PolicyEvaluator.standardRules
        #expect(Set(rules.map(\.name)).count == rules.count)
        let declared = rules.reduce(into: Set<ReasonCode>()) { $0.formUnion($1.codes) }
        #expect(declared == Set(ReasonCode.allCases))
    }

    struct SaysNoWithoutAReason: PolicyRule {
        let name = "misbehaving"
        let codes: Set<ReasonCode> = [.wrongChain]
        func evaluate(_ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp) -> RuleResult {
            .failed([Reason(code: .duplicateID, rule: "someone else", message: "")])
        }
    }

    @Test func aRuleThatBreaksItsContractIsARejection() {
        let evaluator = PolicyEvaluator(rules: PolicyEvaluator.standardRules + [SaysNoWithoutAReason()])
        let decision = evaluator.evaluate(proposal: F.proposal, policy: F.demo, state: F.state, now: F.now)
        #expect(!decision.approved)
        #expect(decision.codes == [.wrongChain])
        #expect(decision.reasons.allSatisfy { $0.rule == "misbehaving" })
    }

    @Test func anEvaluatorWithNoRulesApprovesNothing() {
        let evaluator = PolicyEvaluator(rules: [])
        let decision = evaluator.evaluate(proposal: F.proposal, policy: F.demo, state: F.state, now: F.now)
        #expect(!decision.approved)
    }

    @Test func hostileWeightsDoNotTrap() {
        var p = F.proposal
        p.targets = [.init(adapter: F.aaveUSDC, weightBps: .max), .init(adapter: F.aaveUSDT, weightBps: .min),
                     .init(adapter: F.aaveUSDC, weightBps: .max)]
        p.reserveBps = .min
        p.maxSlippageBps = .min
        p.expected = .init(apyGainBps: .min, gasCostBps: .max, maxRiskScore: .min)
        let decision = F.decide(p)
        #expect(!decision.approved)
        #expect(decision.codes.contains(.weightSumInvalid))
    }
}
