import BigInt
import Ethereum

/// A planner's request to move the treasury to new target weights (DESIGN.md, "Proposal").
///
/// This is the checked, typed form; `Wire` reads it from strict JSON. Nothing here is trusted until the policy
/// has evaluated it.
public struct Proposal: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case rebalance
        case emergencyExit = "emergency_exit"
    }

    public struct Target: Hashable, Sendable {
        public var adapter: Address
        public var weightBps: Int
        public init(adapter: Address, weightBps: Int) {
            self.adapter = adapter
            self.weightBps = weightBps
        }
    }

    public struct Gas: Hashable, Sendable {
        public var maxFeePerGas: BigUInt
        public var maxPriorityFeePerGas: BigUInt
        public var gasLimit: UInt64
        public init(maxFeePerGas: BigUInt, maxPriorityFeePerGas: BigUInt, gasLimit: UInt64) {
            self.maxFeePerGas = maxFeePerGas
            self.maxPriorityFeePerGas = maxPriorityFeePerGas
            self.gasLimit = gasLimit
        }
    }

    /// The planner's own claims: checked for consistency, logged, never trusted to move funds.
    public struct Expected: Hashable, Sendable {
        public var apyGainBps: Int
        public var gasCostBps: Int
        public var maxRiskScore: Int
        public init(apyGainBps: Int, gasCostBps: Int, maxRiskScore: Int) {
            self.apyGainBps = apyGainBps
            self.gasCostBps = gasCostBps
            self.maxRiskScore = maxRiskScore
        }
    }

    /// One `evidence` pair, in the order the planner sent it. Logged only.
    public struct Evidence: Hashable, Sendable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    public var id: String
    public var createdAt: Timestamp
    public var chainID: UInt64
    public var kind: Kind
    public var targets: [Target]
    public var reserveBps: Int
    public var maxSlippageBps: Int
    public var gas: Gas
    public var expected: Expected
    public var evidence: [Evidence]

    public init(
        id: String, createdAt: Timestamp, chainID: UInt64, kind: Kind, targets: [Target], reserveBps: Int,
        maxSlippageBps: Int, gas: Gas, expected: Expected, evidence: [Evidence] = []
    ) {
        self.id = id
        self.createdAt = createdAt
        self.chainID = chainID
        self.kind = kind
        self.targets = targets
        self.reserveBps = reserveBps
        self.maxSlippageBps = maxSlippageBps
        self.gas = gas
        self.expected = expected
        self.evidence = evidence
    }
}
