import Ethereum
import SigningPolicy
import Wire

/// A checked request to activate the next policy (DESIGN.md, "Governance"): the candidate loads and validates, its
/// version is above every installed one, and at least `threshold` of the *active* policy's signers signed its
/// SHA-256 (EIP-191). A candidate that loosens any bound takes effect after the active policy's
/// `loosening_delay`; one that only tightens (or changes nothing that matters) takes effect at once.
///
/// Pure: `check` reads only its arguments, with the clock passed in; `Governance` stores the result.
public struct PolicyActivation: Sendable {
    /// The candidate, loaded.
    public var policy: SigningPolicy
    /// The candidate's exact text (what was hashed and signed).
    public var toml: String
    /// SHA-256 of the candidate's bytes, lower-case hex.
    public var sha256: String
    /// The policy it replaces (the one active when it was checked).
    public var replaces: ApplianceState.InstalledPolicy
    /// Bound-by-bound comparison with the active policy.
    public var comparison: PolicyComparison
    /// The distinct governance signers that approved it.
    public var approvals: [GovernanceQuorum.Approval]
    /// When the check ran.
    public var checkedAt: Timestamp
    /// When it takes effect: `checkedAt`, or `checkedAt` + the active policy's `loosening_delay` if it loosens.
    public var effectiveAt: Timestamp

    /// Whether the candidate waits for the loosening delay.
    public var isDelayed: Bool { effectiveAt > checkedAt }

    /// The digest a governance signer signs for a policy file: EIP-191 over the 32 SHA-256 bytes of its text.
    public static func digest(policyBytes: [UInt8]) -> [UInt8] {
        PolicyDigest.governanceDigest(policyBytes: policyBytes)
    }

    /// Checks `candidate` against the active policy and the signatures.
    ///
    /// - Parameters:
    ///   - candidate: the candidate policy file's bytes (UTF-8 TOML).
    ///   - signatures: 65-byte r‖s‖v hex signatures over `digest(policyBytes: candidate)`.
    ///   - active: the policy in force at `now`.
    ///   - latestVersion: the highest installed version (a delayed policy may be above the active one).
    public static func check(
        candidate: [UInt8], signatures: [String], active: ApplianceState.InstalledPolicy, latestVersion: Int,
        now: Timestamp
    ) throws(GovernanceError) -> PolicyActivation {
        let toml = String(decoding: candidate, as: UTF8.self)
        guard Array(toml.utf8) == candidate else {
            throw GovernanceError(.policyInvalid, "the candidate policy is not valid UTF-8",
                                  hint: "save the policy file as UTF-8 text")
        }
        let policy: SigningPolicy
        do { policy = try SigningPolicy.load(toml: toml) } catch {
            let key = error.keyPath.isEmpty ? "" : "\(error.keyPath): "
            throw GovernanceError(.policyInvalid, "the candidate policy is invalid: \(key)\(error.message)",
                                  hint: error.hint)
        }
        let current: SigningPolicy
        do { current = try SigningPolicy.load(toml: active.toml) } catch {
            throw GovernanceError(.storage, "the active policy (version \(active.version)) no longer loads: \(error)",
                                  hint: "restore the state database from backup")
        }
        guard policy.version > latestVersion else {
            throw GovernanceError(
                .versionNotHigher,
                "the candidate's version \(policy.version) is not above the installed version \(latestVersion)",
                hint: "set [policy] version to \(latestVersion + 1) or higher, then collect the signatures again")
        }
        let sha = PolicyDigest.sha256Hex(candidate)
        let approvals = try GovernanceQuorum(current.governance).approvals(
            of: digest(policyBytes: candidate), signatures: signatures,
            what: "policy version \(policy.version) (sha256 \(sha))")
        let comparison = policy.comparison(relativeTo: current)
        let effectiveAt = comparison.loosens ? now + current.governance.looseningDelay : now
        return PolicyActivation(
            policy: policy, toml: toml, sha256: sha, replaces: active, comparison: comparison, approvals: approvals,
            checkedAt: now, effectiveAt: effectiveAt)
    }

    /// The row `ApplianceState.installPolicy` stores; `signatures` is the approvals as JSON.
    public var installedPolicy: ApplianceState.InstalledPolicy {
        ApplianceState.InstalledPolicy(
            version: policy.version, sha256: sha256, toml: toml, installedAt: checkedAt, effectiveAt: effectiveAt,
            signatures: signaturesJSON.serialized())
    }

    var signaturesJSON: JSONValue {
        .array(approvals.map {
            .object(["signer": .string($0.signer.checksummed), "signature": .string(Hex.encode($0.signature.rsv))])
        })
    }

    /// The `policy_installed` audit entry's body.
    var auditBody: JSONValue {
        .object([
            "version": .integer(policy.version),
            "sha256": .string(sha256),
            "name": .string(policy.name),
            "effective_at": .string(effectiveAt.rfc3339),
            "signers": .array(approvals.map { .string($0.signer.checksummed) }),
            "signatures": signaturesJSON,
            "loosened": .array(comparison.loosened.map { .string($0.key) }),
            "tightened": .array(comparison.tightened.map { .string($0.key) }),
            "replaces": .object(["version": .integer(replaces.version), "sha256": .string(replaces.sha256)]),
        ])
    }
}
