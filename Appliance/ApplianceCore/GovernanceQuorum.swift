import Ethereum
import HSM
import SigningPolicy

/// Checks governance signatures over one digest against the *active* policy's `[governance]` section: each
/// signature must recover to one of its signers, and at least `threshold` distinct signers must have signed.
///
/// Signatures are 65 bytes r‖s‖v (v ∈ {27, 28}), hex with or without `0x`: the EIP-191 form `personal_sign`,
/// hardware wallets and `appliance policy sign` produce.
public struct GovernanceQuorum: Sendable {
    public let signers: [Address]
    public let threshold: Int

    public init(signers: [Address], threshold: Int) {
        self.signers = signers
        self.threshold = threshold
    }

    public init(_ governance: SigningPolicy.Governance) {
        self.init(signers: governance.signers, threshold: governance.threshold)
    }

    /// One accepted signature: who signed and what they sent.
    public struct Approval: Hashable, Sendable {
        public var signer: Address
        public var signature: EthereumSignature
    }

    /// The distinct approvers, in the order first seen; throws unless every signature is valid and allowed and
    /// there are at least `threshold` distinct approvers.
    ///
    /// `what` names the thing signed in messages ("policy version 2", "the kill-switch release").
    public func approvals(of digest: [UInt8], signatures: [String], what: String) throws(GovernanceError)
        -> [Approval]
    {
        guard !signatures.isEmpty else {
            throw GovernanceError(.unsigned, "\(what) carries no governance signature",
                                  hint: "collect \(threshold) signatures from the active policy's governance signers")
        }
        var approvals: [Approval] = []
        for (index, text) in signatures.enumerated() {
            let trimmed = Self.trimmed(text)
            let signature: EthereumSignature
            do {
                signature = try EthereumSignature(rsv: try Hex.decode(trimmed))
            } catch {
                throw GovernanceError(.badSignature, "signature \(index + 1) is not 65 bytes r‖s‖v hex: \(error)",
                                      hint: "pass each signature as 0x followed by 130 hex digits")
            }
            let signer: Address
            do { signer = try Secp256k1.recoverAddress(digest: digest, signature: signature) } catch {
                let detail = (error as? HSMError).map { $0.message } ?? "\(error)"
                throw GovernanceError(.badSignature, "signature \(index + 1) recovers to no key: \(detail)",
                                      hint: "check the signature was made over \(what) and is low-s (EIP-2)")
            }
            guard signers.contains(signer) else {
                throw GovernanceError(
                    .signerNotAllowed,
                    "signature \(index + 1) recovers to \(signer.checksummed), which is not one of the active "
                        + "policy's governance signers (a different key, or a signature over other bytes)",
                    hint: "have one of [\(signers.map(\.checksummed).joined(separator: ", "))] sign exactly \(what)")
            }
            if !approvals.contains(where: { $0.signer == signer }) {
                approvals.append(Approval(signer: signer, signature: signature))
            }
        }
        guard approvals.count >= threshold else {
            throw GovernanceError(
                .belowThreshold,
                "\(what) has \(approvals.count) distinct governance signer(s); the active policy requires \(threshold)",
                hint: "collect signatures from \(threshold - approvals.count) more of the active policy's signers")
        }
        return approvals
    }

    /// `text` without surrounding spaces, tabs and line breaks (signatures pasted from files and terminals).
    static func trimmed(_ text: String) -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
              let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }
}
