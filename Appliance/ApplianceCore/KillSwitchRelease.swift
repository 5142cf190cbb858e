import Ethereum
import SigningPolicy

/// What governance signers sign to release an engaged kill switch (DESIGN.md, "Governance").
///
/// The message names the engagement (its start time and the audit entry that recorded it) and the policy in force,
/// so a release signed for one engagement cannot release another, and one signed under one policy is void once
/// another is active:
///
///     rebalancer: release the kill switch engaged at 2026-11-27T09:00:00Z (audit entry 42) under policy <sha256>
///
/// Signers sign it as an EIP-191 personal message (the UTF-8 text, as `personal_sign` shows it).
public struct KillSwitchRelease: Hashable, Sendable {
    /// When the engagement being released began.
    public var engagedSince: Timestamp
    /// The audit entry that engaged it (nil only for an engagement recorded before entries were named).
    public var engagementSeq: Int64?
    /// SHA-256 of the active policy (lower-case hex, no prefix).
    public var policySHA256: String

    public init(engagedSince: Timestamp, engagementSeq: Int64?, policySHA256: String) {
        self.engagedSince = engagedSince
        self.engagementSeq = engagementSeq
        self.policySHA256 = policySHA256
    }

    /// The text to sign.
    public var message: String {
        let entry = engagementSeq.map { " (audit entry \($0))" } ?? ""
        return "rebalancer: release the kill switch engaged at \(engagedSince.rfc3339)\(entry) under policy \(policySHA256)"
    }

    /// The EIP-191 digest of `message`.
    public var digest: [UInt8] { PersonalMessage.hash(Array(message.utf8)) }

    /// Checks `signatures` against the active policy's governance section; returns the distinct approvers.
    public func approvals(signatures: [String], governance: SigningPolicy.Governance) throws(GovernanceError)
        -> [GovernanceQuorum.Approval]
    {
        try GovernanceQuorum(governance).approvals(
            of: digest, signatures: signatures, what: "the release of the kill switch engaged at \(engagedSince)")
    }
}
