/// A governance action the appliance refused: activating a policy, releasing the kill switch, installing the first
/// policy. Compared by `code`; the message and hint are for people.
public struct GovernanceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The closed set of reasons a governance action is refused.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// No signature was given.
        case unsigned = "GOVERNANCE_UNSIGNED"
        /// Fewer distinct allowed signers than the active policy's threshold.
        case belowThreshold = "GOVERNANCE_BELOW_THRESHOLD"
        /// A signature that is not 65 bytes r‖s‖v, is high-s, or recovers to no key.
        case badSignature = "GOVERNANCE_BAD_SIGNATURE"
        /// A signature that recovers to an address outside the active policy's `governance.signers` (another key,
        /// or a signature over other bytes).
        case signerNotAllowed = "GOVERNANCE_SIGNER_NOT_ALLOWED"
        /// The candidate's version is not above every installed version.
        case versionNotHigher = "GOVERNANCE_VERSION_NOT_HIGHER"
        /// The candidate policy does not load or validate.
        case policyInvalid = "GOVERNANCE_POLICY_INVALID"
        /// No policy is installed yet (run `appliance init --policy FILE`).
        case noActivePolicy = "GOVERNANCE_NO_ACTIVE_POLICY"
        /// `init` was given a different policy than the one already installed.
        case alreadyInitialised = "GOVERNANCE_ALREADY_INITIALISED"
        /// A release was requested while the kill switch is not engaged.
        case killSwitchNotEngaged = "GOVERNANCE_KILL_SWITCH_NOT_ENGAGED"
        /// The state database could not be read or written.
        case storage = "GOVERNANCE_STORAGE"
    }

    public var code: Code
    /// What happened.
    public var message: String
    /// What to do about it.
    public var hint: String

    public init(_ code: Code, _ message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { "error: \(message) [\(code.rawValue)]\nhint: \(hint)" }
}
