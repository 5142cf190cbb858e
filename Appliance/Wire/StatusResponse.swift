import Ethereum
import SigningPolicy

/// The appliance's state as reported to clients: the answer to `status` and to `engage_kill_switch`.
public struct StatusResponse: Hashable, Sendable {
    /// How approved proposals are signed.
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        case keeper
        case safe
    }

    /// The active policy file's SHA-256, as the server writes it.
    public var policySHA256: String
    public var mode: Mode
    public var signerAddress: Address
    public var killSwitch: KillSwitchState
    public var nextNonce: UInt64
    public var lastRebalanceAt: Timestamp?
    public var rebalances24h: Int
    public var turnover24hBps: Int
    public var audit: AuditReference

    public init(
        policySHA256: String, mode: Mode, signerAddress: Address, killSwitch: KillSwitchState, nextNonce: UInt64,
        lastRebalanceAt: Timestamp?, rebalances24h: Int, turnover24hBps: Int, audit: AuditReference
    ) {
        self.policySHA256 = policySHA256
        self.mode = mode
        self.signerAddress = signerAddress
        self.killSwitch = killSwitch
        self.nextNonce = nextNonce
        self.lastRebalanceAt = lastRebalanceAt
        self.rebalances24h = rebalances24h
        self.turnover24hBps = turnover24hBps
        self.audit = audit
    }

    /// The status message, keys in the order DESIGN.md shows.
    public var jsonValue: JSONValue {
        .object([
            "type": .string("status"),
            "policy_sha256": .string(policySHA256),
            "mode": .string(mode.rawValue),
            "signer_address": .string(signerAddress.checksummed),
            "kill_switch": killSwitch.jsonValue,
            "next_nonce": .integer(nextNonce),
            "last_rebalance_at": .stringOrNull(lastRebalanceAt?.rfc3339),
            "rebalances_24h": .integer(rebalances24h),
            "turnover_24h_bps": .integer(turnover24hBps),
            "audit": audit.jsonValue,
        ])
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(
            json, at: path,
            required: ["type", "policy_sha256", "mode", "signer_address", "kill_switch", "next_nonce",
                       "last_rebalance_at", "rebalances_24h", "turnover_24h_bps", "audit"],
            ignoringUnknown: true)
        self.policySHA256 = try o["policy_sha256"].value.string(at: o["policy_sha256"].path)
        let (modeValue, modePath) = o["mode"]
        guard let mode = Mode(rawValue: try modeValue.string(at: modePath)) else {
            throw modePath.invalid("expected \"keeper\" or \"safe\"")
        }
        self.mode = mode
        self.signerAddress = try o["signer_address"].value.address(at: o["signer_address"].path)
        self.killSwitch = try KillSwitchState(json: o["kill_switch"].value, at: o["kill_switch"].path)
        self.nextNonce = try o["next_nonce"].value.uint64(at: o["next_nonce"].path, in: 0...UInt64(Int64.max))
        let (lastValue, lastPath) = o["last_rebalance_at"]
        self.lastRebalanceAt = lastValue == .null ? nil : try lastValue.timestamp(at: lastPath)
        self.rebalances24h = try o["rebalances_24h"].value.int(at: o["rebalances_24h"].path, in: 0...Int.max)
        self.turnover24hBps = try o["turnover_24h_bps"].value.int(at: o["turnover_24h_bps"].path, in: 0...Int.max)
        self.audit = try AuditReference(json: o["audit"].value, at: o["audit"].path)
    }
}
