import SigningPolicy

extension ApplianceState {
    /// The policy-state snapshot a decision on `proposal` at `now` would see (the same reads the decision
    /// engine makes): last approval, approvals in the rolling window, duplicate id, kill switch.
    ///
    /// For read-only callers such as `appliance policy explain`.
    public func policyState(for proposal: Proposal, now: Timestamp) throws -> PolicyState {
        let last = try lastApproval()
        let recent = try approvals(since: now - PolicyState.window)
        return PolicyState(
            lastApproved: last.map {
                PolicyState.ApprovedAllocation(targets: $0.allocation.targets, reserveBps: $0.allocation.reserveBps)
            },
            lastRebalanceAt: last?.decidedAt,
            recentApprovals: recent.map { PolicyState.Approval(decidedAt: $0.decidedAt, turnoverBps: $0.turnoverBps) },
            isDuplicateID: try hasSeen(proposalID: proposal.id),
            killSwitchEngaged: try killSwitch().engaged)
    }
}
