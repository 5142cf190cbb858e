import SigningPolicy

/// The appliance's policy check inside a backtest: the real `PolicyEvaluator` with the backtest's clock, and a
/// `PolicyState` booked the way the appliance books it (DecisionEngine, `ApplianceState.policyState`): the last
/// approved targets, the decision time of the last approval, every approval of the last 24 h with its turnover,
/// every id ever seen, and the kill switch.
///
/// A backtest can therefore never do what the appliance would refuse: a proposal moves money only when
/// `decide(_:now:)` approved it.
public struct PolicyGate: Sendable {
    public let policy: SigningPolicy
    public private(set) var state = PolicyState()
    private var seenIDs: Set<String> = []
    public private(set) var approvals = 0
    public private(set) var rejections = 0
    /// How often each reason code was given, for the report.
    public private(set) var reasonCounts: [ReasonCode: Int] = [:]

    public init(policy: SigningPolicy) {
        self.policy = policy
    }

    /// Evaluates `proposal` at `now` and, if approved, books it as the appliance would.
    public mutating func decide(_ proposal: Proposal, now: Timestamp) -> PolicyDecision {
        var snapshot = state
        snapshot.isDuplicateID = seenIDs.contains(proposal.id)
        snapshot.recentApprovals = state.approvals(inWindowEndingAt: now)
        let decision = PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: snapshot, now: now)
        seenIDs.insert(proposal.id)
        if decision.approved {
            approvals += 1
            state.lastApproved = PolicyState.ApprovedAllocation(targets: proposal.targets,
                                                                reserveBps: proposal.reserveBps)
            state.lastRebalanceAt = now
            state.recentApprovals = snapshot.recentApprovals
                + [PolicyState.Approval(decidedAt: now, turnoverBps: decision.turnoverBps)]
        } else {
            rejections += 1
            for code in decision.codes { reasonCounts[code, default: 0] += 1 }
        }
        return decision
    }

    /// The planner engages the kill switch (open to it without governance: tightening is never delayed).
    public mutating func engageKillSwitch() { state.killSwitchEngaged = true }

    /// Governance releases the kill switch (in a backtest: once the condition has cleared long enough).
    public mutating func releaseKillSwitch() { state.killSwitchEngaged = false }
}
