import SigningPolicy

extension ApplianceState {
    /// The policy-state snapshot a decision on `proposal` at `now` would see (the same reads the decision
    /// engine makes): last approval, approvals in the rolling window, duplicate id, kill switch.
    ///
    /// For read-only callers such as `appliance policy explain`; the engine passes the approvals it caches.
    public func policyState(for proposal: Proposal, now: Timestamp) throws -> PolicyState {
        try policyState(for: proposal, lastApproval: lastApproval(),
                        recentApprovals: approvals(since: now - PolicyState.window))
    }

    /// The snapshot from a known last approval and rolling window; the id and kill switch are read here.
    func policyState(for proposal: Proposal, lastApproval last: Approval?, recentApprovals recent: [Approval])
        throws -> PolicyState
    {
        PolicyState(
            lastApproved: last.map {
                PolicyState.ApprovedAllocation(targets: $0.allocation.targets, reserveBps: $0.allocation.reserveBps)
            },
            lastRebalanceAt: last?.decidedAt,
            recentApprovals: recent.map { PolicyState.Approval(decidedAt: $0.decidedAt, turnoverBps: $0.turnoverBps) },
            isDuplicateID: try hasSeen(proposalID: proposal.id),
            killSwitchEngaged: try killSwitch().engaged)
    }
}
