import BigInt
import Ethereum

/// How a candidate policy differs from the active one, bound by bound (DESIGN.md, "Governance": a policy that
/// loosens any bound takes effect only after `loosening_delay`; one that only tightens takes effect at once).
///
/// Conservative by construction: a change is a tightening only when it provably narrows what can be signed or who
/// can govern; every other change of a bound (a new chain, hub, Safe, safe haven, adapter, adapter name or class,
/// signer set) counts as loosening. `name` and `version` are not bounds.
public struct PolicyComparison: Hashable, Sendable {
    /// One bound that changed: its key path and both values as text.
    public struct Change: Hashable, Sendable, CustomStringConvertible {
        public var key: String
        public var old: String
        public var new: String

        public init(key: String, old: String, new: String) {
            self.key = key
            self.old = old
            self.new = new
        }

        public var description: String { "\(key): \(old) → \(new)" }
    }

    public var loosened: [Change]
    public var tightened: [Change]

    /// Whether any bound is looser in the candidate.
    public var loosens: Bool { !loosened.isEmpty }

    /// Compares `candidate` with `active`.
    public init(from active: SigningPolicy, to candidate: SigningPolicy) {
        var loosened: [Change] = []
        var tightened: [Change] = []

        func identity<T: Equatable>(_ key: String, _ old: T, _ new: T, _ show: (T) -> String) {
            if old != new { loosened.append(Change(key: key, old: show(old), new: show(new))) }
        }
        /// A bound where a larger value allows more.
        func upper<T: Comparable>(_ key: String, _ old: T, _ new: T) {
            if new > old { loosened.append(Change(key: key, old: "\(old)", new: "\(new)")) }
            if new < old { tightened.append(Change(key: key, old: "\(old)", new: "\(new)")) }
        }
        /// A bound where a larger value allows less.
        func lower<T: Comparable>(_ key: String, _ old: T, _ new: T) {
            if new < old { loosened.append(Change(key: key, old: "\(old)", new: "\(new)")) }
            if new > old { tightened.append(Change(key: key, old: "\(old)", new: "\(new)")) }
        }
        func show(_ address: Address?) -> String { address?.checksummed ?? "none" }

        let a = active, b = candidate
        identity("policy.chain_id", a.chainID, b.chainID) { "\($0)" }
        identity("policy.mode", a.mode, b.mode) { $0.rawValue }
        identity("policy.hub", a.hub, b.hub) { $0.checksummed }

        for adapter in Set(a.adapters.keys).union(b.adapters.keys).sorted() {
            let key = "adapters.\"\(adapter.checksummed)\""
            switch (a.adapters[adapter], b.adapters[adapter]) {
            case (nil, let added?):
                loosened.append(Change(key: key, old: "absent", new: added.name))
            case (let removed?, nil):
                tightened.append(Change(key: key, old: removed.name, new: "absent"))
            case (let old?, let new?):
                identity("\(key).name", old.name, new.name) { $0 }
                identity("\(key).class", old.adapterClass, new.adapterClass) { $0.rawValue }
                upper("\(key).max_weight_bps", a.effectiveMaxWeightBps(for: adapter) ?? 0,
                      b.effectiveMaxWeightBps(for: adapter) ?? 0)
            case (nil, nil):
                break
            }
        }

        lower("allocation.min_weight_bps", a.allocation.minWeightBps, b.allocation.minWeightBps)
        upper("allocation.max_weight_bps", a.allocation.maxWeightBps, b.allocation.maxWeightBps)
        lower("allocation.min_reserve_bps", a.allocation.minReserveBps, b.allocation.minReserveBps)
        upper("allocation.max_targets", a.allocation.maxTargets, b.allocation.maxTargets)
        lower("allocation.min_change_bps", a.allocation.minChangeBps, b.allocation.minChangeBps)

        lower("rate.cooldown", a.rate.cooldown, b.rate.cooldown)
        upper("rate.max_rebalances_per_24h", a.rate.maxRebalancesPer24h, b.rate.maxRebalancesPer24h)
        upper("rate.max_turnover_bps", a.rate.maxTurnoverBps, b.rate.maxTurnoverBps)
        upper("rate.max_turnover_bps_per_24h", a.rate.maxTurnoverBpsPer24h, b.rate.maxTurnoverBpsPer24h)

        upper("gas.max_fee_per_gas_gwei", GweiText(a.gas.maxFeePerGas), GweiText(b.gas.maxFeePerGas))
        upper("gas.max_priority_fee_per_gas_gwei", GweiText(a.gas.maxPriorityFeePerGas),
              GweiText(b.gas.maxPriorityFeePerGas))
        upper("gas.max_gas_limit", a.gas.maxGasLimit, b.gas.maxGasLimit)

        lower("economics.min_edge_bps", a.economics.minEdgeBps, b.economics.minEdgeBps)
        upper("economics.max_risk_score", a.economics.maxRiskScore, b.economics.maxRiskScore)

        for adapterClass in SigningPolicy.AdapterClass.allCases {
            let key = "slippage.\(adapterClass.rawValue)"
            switch (a.slippage[adapterClass], b.slippage[adapterClass]) {
            case (let old?, let new?): upper(key, old, new)
            case (let old?, nil): loosened.append(Change(key: key, old: "\(old)", new: "absent"))
            case (nil, let new?): tightened.append(Change(key: key, old: "absent", new: "\(new)"))
            case (nil, nil): break
            }
        }
        // Unknown adapters and adapter-less proposals get the smallest cap of all.
        upper("slippage (smallest cap)", a.smallestSlippageCapBps, b.smallestSlippageCapBps)

        upper("proposal.max_age", a.proposal.maxAge, b.proposal.maxAge)
        upper("proposal.max_future_skew", a.proposal.maxFutureSkew, b.proposal.maxFutureSkew)
        for kind in Proposal.Kind.allCases {
            let (old, new) = (a.proposal.kinds.contains(kind), b.proposal.kinds.contains(kind))
            if !old && new { loosened.append(Change(key: "proposal.kinds", old: "without \(kind.rawValue)",
                                                    new: "with \(kind.rawValue)")) }
            if old && !new { tightened.append(Change(key: "proposal.kinds", old: "with \(kind.rawValue)",
                                                     new: "without \(kind.rawValue)")) }
        }

        switch (a.safeHaven, b.safeHaven) {
        case (let old?, nil): tightened.append(Change(key: "kill_switch.safe_haven", old: show(old), new: "none"))
        default: identity("kill_switch.safe_haven", a.safeHaven, b.safeHaven, show)
        }
        identity("safe.address", a.safeAddress, b.safeAddress, show)

        let oldSigners = a.governance.signers.map(\.checksummed).sorted()
        let newSigners = b.governance.signers.map(\.checksummed).sorted()
        identity("governance.signers", oldSigners, newSigners) { "[\($0.joined(separator: ", "))]" }
        lower("governance.threshold", a.governance.threshold, b.governance.threshold)
        lower("governance.loosening_delay", a.governance.looseningDelay, b.governance.looseningDelay)

        self.loosened = loosened
        self.tightened = tightened
    }
}

/// A gwei amount that compares by value and prints as gwei (for `PolicyComparison`'s messages).
private struct GweiText: Comparable, CustomStringConvertible {
    let wei: BigUInt
    init(_ wei: BigUInt) { self.wei = wei }
    static func < (lhs: GweiText, rhs: GweiText) -> Bool { lhs.wei < rhs.wei }
    var description: String { GweiAmount(wei: wei).description }
}

extension SigningPolicy {
    /// Whether `self` loosens any bound of `active`. See `PolicyComparison` for the list.
    public func loosens(relativeTo active: SigningPolicy) -> Bool {
        PolicyComparison(from: active, to: self).loosens
    }

    /// Bound-by-bound comparison of `self` (the candidate) with `active`.
    public func comparison(relativeTo active: SigningPolicy) -> PolicyComparison {
        PolicyComparison(from: active, to: self)
    }
}
