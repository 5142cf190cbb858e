import BigInt
import Ethereum

/// The declarative signing policy of DESIGN.md ("Policy file"), checked and typed.
///
/// A value of this type has passed load-time validation (`SigningPolicy.load(toml:)`): every bound is in range
/// and consistent with the others. Where the file is merely odd rather than contradictory, the loaded policy
/// reads it the narrow way (a per-adapter maximum above the global maximum is clamped to the global one), so a
/// misconfiguration can only narrow what gets signed, never widen it.
public struct SigningPolicy: Hashable, Sendable {
    /// How an approved proposal leaves the appliance: a keeper transaction, or a Safe bundle for co-signers.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        case keeper
        case safe
    }

    /// The kind of protocol behind an adapter; slippage caps are set per class.
    public enum AdapterClass: String, Hashable, Sendable, CaseIterable, Comparable {
        case lending
        case stableLP = "stable_lp"
        case volatileLP = "volatile_lp"

        public static func < (lhs: AdapterClass, rhs: AdapterClass) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One allowlisted adapter (`[adapters]`).
    public struct Adapter: Hashable, Sendable {
        public var name: String
        public var adapterClass: AdapterClass
        /// As written in the file; see `SigningPolicy.effectiveMaxWeightBps(for:)` for the bound that applies.
        public var maxWeightBps: Int

        public init(name: String, adapterClass: AdapterClass, maxWeightBps: Int) {
            self.name = name
            self.adapterClass = adapterClass
            self.maxWeightBps = maxWeightBps
        }
    }

    /// `[allocation]`: the shape of an acceptable target allocation.
    public struct Allocation: Hashable, Sendable {
        public var minWeightBps: Int
        public var maxWeightBps: Int
        public var minReserveBps: Int
        public var maxTargets: Int
        public var minChangeBps: Int

        public init(minWeightBps: Int, maxWeightBps: Int, minReserveBps: Int, maxTargets: Int, minChangeBps: Int) {
            self.minWeightBps = minWeightBps
            self.maxWeightBps = maxWeightBps
            self.minReserveBps = minReserveBps
            self.maxTargets = maxTargets
            self.minChangeBps = minChangeBps
        }
    }

    /// `[rate]`: how often and how much the allocation may move.
    public struct Rate: Hashable, Sendable {
        public var cooldown: Duration
        public var maxRebalancesPer24h: Int
        public var maxTurnoverBps: Int
        public var maxTurnoverBpsPer24h: Int

        public init(cooldown: Duration, maxRebalancesPer24h: Int, maxTurnoverBps: Int, maxTurnoverBpsPer24h: Int) {
            self.cooldown = cooldown
            self.maxRebalancesPer24h = maxRebalancesPer24h
            self.maxTurnoverBps = maxTurnoverBps
            self.maxTurnoverBpsPer24h = maxTurnoverBpsPer24h
        }
    }

    /// `[gas]`: caps on the gas fields a signed transaction may carry. Fees are in wei (the file says gwei).
    public struct GasCaps: Hashable, Sendable {
        public var maxFeePerGas: BigUInt
        public var maxPriorityFeePerGas: BigUInt
        public var maxGasLimit: UInt64

        public init(maxFeePerGas: BigUInt, maxPriorityFeePerGas: BigUInt, maxGasLimit: UInt64) {
            self.maxFeePerGas = maxFeePerGas
            self.maxPriorityFeePerGas = maxPriorityFeePerGas
            self.maxGasLimit = maxGasLimit
        }
    }

    /// `[economics]`: consistency checks on the planner's own claims.
    public struct Economics: Hashable, Sendable {
        public var minEdgeBps: Int
        public var maxRiskScore: Int

        public init(minEdgeBps: Int, maxRiskScore: Int) {
            self.minEdgeBps = minEdgeBps
            self.maxRiskScore = maxRiskScore
        }
    }

    /// `[proposal]`: freshness, and which kinds of proposal this policy accepts at all.
    public struct ProposalLimits: Hashable, Sendable {
        public var maxAge: Duration
        public var maxFutureSkew: Duration
        /// `proposal.kinds`; defaults to every kind the policy can support (no safe haven, no emergency exit).
        public var kinds: Set<Proposal.Kind>

        public init(maxAge: Duration, maxFutureSkew: Duration, kinds: Set<Proposal.Kind>) {
            self.maxAge = maxAge
            self.maxFutureSkew = maxFutureSkew
            self.kinds = kinds
        }
    }

    /// `[governance]`: who may activate the next policy or release the kill switch.
    public struct Governance: Hashable, Sendable {
        public var signers: [Address]
        public var threshold: Int
        public var looseningDelay: Duration

        public init(signers: [Address], threshold: Int, looseningDelay: Duration) {
            self.signers = signers
            self.threshold = threshold
            self.looseningDelay = looseningDelay
        }
    }

    public var name: String
    public var version: Int
    public var chainID: UInt64
    public var mode: Mode
    public var hub: Address
    public var adapters: [Address: Adapter]
    public var allocation: Allocation
    public var rate: Rate
    public var gas: GasCaps
    public var economics: Economics
    /// Maximum slippage in bps, by adapter class. Every class used by an adapter has an entry.
    public var slippage: [AdapterClass: Int]
    public var proposal: ProposalLimits
    /// `kill_switch.safe_haven`: always an allowlisted adapter. Nil: the policy allows no emergency exit.
    public var safeHaven: Address?
    /// `safe.address`: present exactly when `mode` is `.safe`.
    public var safeAddress: Address?
    public var governance: Governance

    public init(
        name: String, version: Int, chainID: UInt64, mode: Mode, hub: Address, adapters: [Address: Adapter],
        allocation: Allocation, rate: Rate, gas: GasCaps, economics: Economics, slippage: [AdapterClass: Int],
        proposal: ProposalLimits, safeHaven: Address?, safeAddress: Address?, governance: Governance
    ) {
        self.name = name
        self.version = version
        self.chainID = chainID
        self.mode = mode
        self.hub = hub
        self.adapters = adapters
        self.allocation = allocation
        self.rate = rate
        self.gas = gas
        self.economics = economics
        self.slippage = slippage
        self.proposal = proposal
        self.safeHaven = safeHaven
        self.safeAddress = safeAddress
        self.governance = governance
    }

    /// The weight bound that applies to `adapter`: the smaller of its own maximum and the global maximum.
    /// Nil for an adapter outside the allowlist.
    public func effectiveMaxWeightBps(for adapter: Address) -> Int? {
        guard let entry = adapters[adapter] else { return nil }
        return min(entry.maxWeightBps, allocation.maxWeightBps)
    }

    /// The slippage cap for `adapter`'s class; for an adapter outside the allowlist, the smallest cap of all
    /// (0 when no class has a cap).
    public func slippageCapBps(for adapter: Address) -> Int {
        if let entry = adapters[adapter], let cap = slippage[entry.adapterClass] { return cap }
        return smallestSlippageCapBps
    }

    /// The smallest slippage cap of any class; 0 when none is configured.
    public var smallestSlippageCapBps: Int { slippage.values.min() ?? 0 }
}
