import BigInt
import Ethereum
import SigningPolicy
import Wire

/// The co-signer bundle `rebalancer/bundle@1` (DESIGN.md, "Bundle for co-signers"): the Safe transaction the
/// appliance approved and signed, its decision and its human-readable decoding.
///
/// `appliance.signature` signs the SafeTx hash (usable in `execTransaction`). Because a co-signer must be able to
/// trust every other field too (names, previous targets, the decision, the audit reference), the appliance also
/// signs the whole bundle: `appliance.bundle_signature` is an EIP-191 signature over the Keccak-256 hash of the
/// bundle's compact JSON without the two signature keys (so both can be made at once, on two HSM sessions; the
/// SafeTx signature is bound through `safe_tx_hash`). `bundle verify` checks both.
public struct SafeBundle: Sendable {
    public static let format = "rebalancer/bundle@1"

    /// A bundle that does not verify: what is wrong, for a person.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The bundle as JSON, members in the pinned order.
    public let json: JSONValue

    public init(json: JSONValue) { self.json = json }

    /// The digest `bundle_signature` signs: EIP-191 over keccak256(compact JSON without `appliance.signature` and
    /// `appliance.bundle_signature`).
    public static func bundleDigest(_ json: JSONValue) -> [UInt8] {
        PersonalMessage.hash(Keccak256.hash(removingSignatures(json).serializedBytes()))
    }

    static func removingSignatures(_ json: JSONValue) -> JSONValue {
        guard case .object(let members) = json else { return json }
        return .object(members.map { member in
            guard member.key == "appliance", case .object(let inner) = member.value else { return member }
            return JSONValue.Member(
                "appliance", .object(inner.filter { $0.key != "signature" && $0.key != "bundle_signature" }))
        })
    }

    /// Builds the unsigned bundle (without `appliance.signature` and `bundle_signature`, added by `signed`).
    static func unsigned(
        chainID: UInt64, safe: Address, safeTransaction: SafeTransaction, safeTxHash: [UInt8], appliance: Address,
        proposal: Proposal, decidedAt: Timestamp, policySHA256: String, rules: [PolicyDecision.RuleOutcome],
        call: HubCall, previous: ApplianceState.Allocation, policy: SigningPolicy, audit: AuditLog.Head
    ) -> [JSONValue.Member] {
        func named(_ target: Proposal.Target) -> JSONValue {
            .object([
                "adapter": .string(target.adapter.checksummed),
                "name": .string(policy.adapters[target.adapter]?.name ?? "unknown adapter"),
                "weight_bps": .integer(target.weightBps),
            ])
        }
        var decoded: [JSONValue.Member] = [.init("function", .string(call.functionName))]
        switch call {
        case let .rebalance(targets, reserve, slippage, deadline):
            decoded += [
                .init("targets", .array(targets.map(named))),
                .init("previous_targets", .array(previous.targets.map(named))),
                .init("reserve_bps", .integer(reserve)),
                .init("max_slippage_bps", .integer(slippage)),
                .init("deadline", .integer(deadline)),
            ]
        case let .emergencyExit(haven, slippage, deadline):
            decoded += [
                .init("safe_haven", .string(haven.checksummed)),
                .init("targets", .array(proposal.targets.map(named))),
                .init("previous_targets", .array(previous.targets.map(named))),
                .init("reserve_bps", .integer(proposal.reserveBps)),
                .init("max_slippage_bps", .integer(slippage)),
                .init("deadline", .integer(deadline)),
            ]
        }
        let tx = safeTransaction
        return [
            .init("format", .string(format)),
            .init("chain_id", .integer(chainID)),
            .init("safe", .string(safe.checksummed)),
            .init("safe_tx", .object([
                "to": .string(tx.to.checksummed),
                "value": .string(String(tx.value)),
                "data": .string(Hex.encode(tx.data)),
                "operation": .integer(Int(tx.operation)),
                "safe_tx_gas": .string(String(tx.safeTxGas)),
                "base_gas": .string(String(tx.baseGas)),
                "gas_price": .string(String(tx.gasPrice)),
                "gas_token": .string(tx.gasToken.checksummed),
                "refund_receiver": .string(tx.refundReceiver.checksummed),
                "nonce": .string(String(tx.nonce)),
            ])),
            .init("safe_tx_hash", .string(Hex.encode(safeTxHash))),
            .init("appliance", .object(["address": .string(appliance.checksummed)])),
            .init("decision", .object([
                "proposal_id": .string(proposal.id),
                "decided_at": .string(decidedAt.rfc3339),
                "policy_sha256": .string(policySHA256),
                "rules": .array(rules.map { .object(["rule": .string($0.rule), "passed": .bool($0.passed)]) }),
            ])),
            .init("decoded", .object(decoded)),
            .init("audit", .object(["seq": .integer(Int(audit.seq)), "hash": .string(Hex.encode(audit.hash))])),
        ]
    }

    /// Puts the two signatures into an unsigned bundle.
    static func signed(_ members: [JSONValue.Member], safeTxSignature: EthereumSignature,
                       bundleSignature: EthereumSignature) -> SafeBundle {
        SafeBundle(json: .object(members.map { member in
            guard member.key == "appliance", case .object(var inner) = member.value else { return member }
            inner.append(.init("signature", .string(Hex.encode(safeTxSignature.rsv))))
            inner.append(.init("bundle_signature", .string(Hex.encode(bundleSignature.rsv))))
            return JSONValue.Member("appliance", .object(inner))
        }))
    }

}
