import Ethereum

/// The appliance state a policy decision depends on, as a plain value snapshot (the evaluator does no I/O).
public struct PolicyState: Hashable, Sendable {
    /// One approved proposal the rolling windows may count.
    public struct Approval: Hashable, Sendable {
        public var decidedAt: Timestamp
        public var turnoverBps: Int

        public init(decidedAt: Timestamp, turnoverBps: Int) {
            self.decidedAt = decidedAt
            self.turnoverBps = turnoverBps
        }
    }

    /// The allocation of the last approved proposal: adapter weights plus the reserve, in bps.
    public struct ApprovedAllocation: Hashable, Sendable {
        public var weights: [Address: Int]
        public var reserveBps: Int

        public init(weights: [Address: Int], reserveBps: Int) {
            self.weights = weights
            self.reserveBps = reserveBps
        }

        public init(targets: [Proposal.Target], reserveBps: Int) {
            var weights: [Address: Int] = [:]
            for target in targets { weights[target.adapter, default: 0] += target.weightBps }
            self.init(weights: weights, reserveBps: reserveBps)
        }

        /// Before the first approval everything is in the reserve.
        public static let allInReserve = ApprovedAllocation(weights: [:], reserveBps: 10_000)
    }

    /// Nil before the first approval (everything counts as reserve).
    public var lastApproved: ApprovedAllocation?
    /// Decision time of the last approved proposal (of either kind); nil before the first.
    public var lastRebalanceAt: Timestamp?
    /// Approved proposals the caller considers recent; the rules keep those decided in the last 24 h.
    public var recentApprovals: [Approval]
    /// Whether the proposal's id has been seen before, whatever its outcome (the caller looks it up).
    public var isDuplicateID: Bool
    public var killSwitchEngaged: Bool

    public init(
        lastApproved: ApprovedAllocation? = nil, lastRebalanceAt: Timestamp? = nil, recentApprovals: [Approval] = [],
        isDuplicateID: Bool = false, killSwitchEngaged: Bool = false
    ) {
        self.lastApproved = lastApproved
        self.lastRebalanceAt = lastRebalanceAt
        self.recentApprovals = recentApprovals
        self.isDuplicateID = isDuplicateID
        self.killSwitchEngaged = killSwitchEngaged
    }

    /// The rolling window is 24 h.
    public static let window = Duration(seconds: 86_400)

    /// Approvals decided after `now − 24 h` (later ones too, should the clock have stepped back: fail closed).
    public func approvals(inWindowEndingAt now: Timestamp) -> [Approval] {
        let (start, overflow) = now.seconds.subtractingReportingOverflow(PolicyState.window.seconds)
        if overflow { return recentApprovals }
        return recentApprovals.filter { $0.decidedAt.seconds > start }
    }
}
