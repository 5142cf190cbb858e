import Ethereum
import SigningPolicy
import Wire

/// Governance actions on an appliance's state database, run by the operator's command line beside (or without) a
/// serving appliance: installing the first policy, activating the next one, engaging and releasing the kill switch.
///
/// Every write happens in one `BEGIN IMMEDIATE` transaction that re-reads the audit head first, so the command
/// line and a running `serve` append to the same chain safely. No HSM is needed: the serving appliance anchors
/// these entries in its next checkpoint. The clock is injected.
public final class Governance {
    public let database: Database
    public let state: ApplianceState
    public let audit: AuditLog
    let clock: () -> Timestamp

    /// Opens the state database at `databasePath` (creating its tables if needed).
    public init(databasePath: String, clock: @escaping () -> Timestamp) throws {
        database = try Database(path: databasePath)
        audit = try AuditLog(database: database)
        state = try ApplianceState(database: database)
        self.clock = clock
    }

    // MARK: - The first policy

    /// What `installInitialPolicy` did.
    public enum InitialInstallation: Equatable, Sendable {
        /// The policy was installed now, effective immediately.
        case installed(ApplianceState.InstalledPolicy)
        /// The same policy was already installed; nothing changed.
        case unchanged(ApplianceState.InstalledPolicy)

        /// The policy installed now or kept.
        public var policy: ApplianceState.InstalledPolicy {
            switch self {
            case .installed(let p), .unchanged(let p): p
            }
        }

        /// Whether this call installed it.
        public var isNew: Bool {
            if case .installed = self { return true }
            return false
        }
    }

    /// Installs the operator's first policy (`appliance init --policy FILE`), effective at once, audited as
    /// `policy_installed` with signers "operator". A second call with the same bytes changes nothing; with other
    /// bytes it is refused (later policies need governance signatures: `appliance policy activate`).
    public func installInitialPolicy(_ bytes: [UInt8]) throws(GovernanceError) -> InitialInstallation {
        let toml = String(decoding: bytes, as: UTF8.self)
        guard Array(toml.utf8) == bytes else {
            throw GovernanceError(.policyInvalid, "the policy is not valid UTF-8", hint: "save the policy as UTF-8")
        }
        let policy: SigningPolicy
        do { policy = try SigningPolicy.load(toml: toml) } catch {
            let key = error.keyPath.isEmpty ? "" : "\(error.keyPath): "
            throw GovernanceError(.policyInvalid, "the policy is invalid: \(key)\(error.message)", hint: error.hint)
        }
        let sha = PolicyDigest.sha256Hex(bytes)
        return try transaction { now in
            if let existing = try state.policyHistory().first {
                let latest = try state.latestPolicy() ?? existing
                if existing.sha256 == sha || latest.sha256 == sha { return .unchanged(latest) }
                throw GovernanceError(
                    .alreadyInitialised,
                    "a policy is already installed (version \(latest.version), sha256 \(latest.sha256)); "
                        + "init does not replace it",
                    hint: "activate a new policy with `appliance policy activate` and the governance signatures")
            }
            let installed = ApplianceState.InstalledPolicy(
                version: policy.version, sha256: sha, toml: toml, installedAt: now, effectiveAt: now, signatures: "")
            try state.installPolicy(installed)
            try audit.append(at: now, kind: "policy_installed", body: JSONValue.object([
                "version": .integer(policy.version),
                "sha256": .string(sha),
                "name": .string(policy.name),
                "effective_at": .string(now.rfc3339),
                "signers": .string("operator"),
                "loosened": .array([]),
                "tightened": .array([]),
                "replaces": .null,
            ]).serialized())
            return .installed(installed)
        }
    }

    // MARK: - Later policies

    /// What an activation installed.
    public struct Activation: Sendable {
        public var checked: PolicyActivation
        /// The `policy_installed` audit entry.
        public var audit: AuditLog.Head
    }

    /// Checks and installs the next policy (see `PolicyActivation.check`), audited as `policy_installed`.
    public func activate(policy bytes: [UInt8], signatures: [String]) throws(GovernanceError) -> Activation {
        try transaction { now in
            let (active, latestVersion) = try activeAndLatest(now)
            let checked = try PolicyActivation.check(
                candidate: bytes, signatures: signatures, active: active, latestVersion: latestVersion, now: now)
            try state.installPolicy(checked.installedPolicy)
            let head = try audit.append(at: now, kind: "policy_installed", body: checked.auditBody.serialized())
            return Activation(checked: checked, audit: head)
        }
    }

    /// The policy in force now, and the highest installed version.
    public func activePolicy() throws(GovernanceError) -> ApplianceState.InstalledPolicy {
        let now = clock()
        return try storage { try activeAndLatest(now).0 }
    }

    private func activeAndLatest(_ now: Timestamp) throws -> (ApplianceState.InstalledPolicy, Int) {
        guard let active = try state.activePolicy(at: now) else {
            throw GovernanceError(.noActivePolicy, "no policy is installed in this state directory",
                                  hint: "run `appliance init --state DIR --policy FILE` first")
        }
        return (active, try state.latestPolicy()?.version ?? active.version)
    }

    // MARK: - Kill switch

    /// Engages the kill switch (open to the operator at once; no signatures). Engaging it again keeps the first
    /// engagement's time and reason and is audited as a repeat.
    @discardableResult
    public func engageKillSwitch(reason: String, source: String) throws(GovernanceError) -> ApplianceState.KillSwitch {
        try transaction { now in
            try state.engageKillSwitch(reason: reason, source: source, at: now, audit: audit)
        }
    }

    /// The release the signers must sign for the current engagement, under the active policy.
    public func pendingRelease() throws(GovernanceError) -> KillSwitchRelease {
        let now = clock()
        return try storage { try release(now).0 }
    }

    private func release(_ now: Timestamp) throws -> (KillSwitchRelease, ApplianceState.InstalledPolicy) {
        let kill = try state.killSwitch()
        guard kill.engaged, let since = kill.since else {
            throw GovernanceError(.killSwitchNotEngaged, "the kill switch is not engaged",
                                  hint: "there is nothing to release; `appliance status` shows its state")
        }
        let (active, _) = try activeAndLatest(now)
        return (KillSwitchRelease(engagedSince: since, engagementSeq: kill.seq, policySHA256: active.sha256), active)
    }

    /// What a release did.
    public struct Release: Sendable {
        public var release: KillSwitchRelease
        public var approvers: [Address]
        public var audit: AuditLog.Head
    }

    /// Releases the kill switch with `threshold` signatures of the active policy's signers over the current
    /// engagement's release message; audited as `kill_switch_released`.
    public func releaseKillSwitch(signatures: [String], source: String) throws(GovernanceError) -> Release {
        try transaction { now in
            let (release, active) = try release(now)
            let policy: SigningPolicy
            do { policy = try SigningPolicy.load(toml: active.toml) } catch {
                throw GovernanceError(.storage, "the active policy no longer loads: \(error)",
                                      hint: "restore the state database from backup")
            }
            let approvals = try release.approvals(signatures: signatures, governance: policy.governance)
            try state.setKillSwitch(.released)
            let head = try audit.append(at: now, kind: "kill_switch_released", body: JSONValue.object([
                "engaged_since": .string(release.engagedSince.rfc3339),
                "approvers": .array(approvals.map { .string($0.signer.checksummed) }),
                "signatures": .array(approvals.map { .string(Hex.encode($0.signature.rsv)) }),
                "policy_sha256": .string(release.policySHA256),
                "source": .string(source),
            ]).serialized())
            return Release(release: release, approvers: approvals.map(\.signer), audit: head)
        }
    }

    // MARK: - Plumbing

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction after re-reading the audit head (a serving appliance may
    /// have appended); any failure rolls everything back.
    private func transaction<T>(_ body: (Timestamp) throws -> T) throws(GovernanceError) -> T {
        let now = clock()
        return try storage {
            do {
                return try database.immediateTransaction {
                    try audit.reloadHead()
                    return try body(now)
                }
            } catch {
                try? audit.reloadHead()
                throw error
            }
        }
    }

    /// Maps every error that is not already a `GovernanceError` to `.storage`.
    private func storage<T>(_ body: () throws -> T) throws(GovernanceError) -> T {
        do { return try body() } catch let error as GovernanceError { throw error } catch {
            throw GovernanceError(.storage, "the state database failed: \(error)",
                                  hint: "check the state directory is writable and not full, then retry")
        }
    }
}
