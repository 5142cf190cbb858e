/// The bounds the decoder enforces on proposal and request fields, before any policy runs.
///
/// They keep every decoded value small and well-formed; the policy applies its own, usually tighter, limits
/// (`allocation.max_targets`, gas caps, …) afterwards.
public enum WireLimits {
    /// Longest `id` (characters of `[A-Za-z0-9._-]`).
    public static let maxProposalIDLength = 64
    /// Most `targets` entries a proposal may carry.
    public static let maxTargets = 64
    /// Largest basis-point value (`weight_bps`, `reserve_bps`, `max_slippage_bps`).
    public static let maxBps = 10_000
    /// `expected.apy_gain_bps` and `expected.gas_cost_bps` magnitude bound.
    public static let maxExpectedBps = 100_000
    /// `expected.max_risk_score` upper bound.
    public static let maxRiskScore = 100
    /// Most `evidence` pairs.
    public static let maxEvidencePairs = 16
    /// Longest `evidence` key (Unicode scalars, at least 1).
    public static let maxEvidenceKeyLength = 64
    /// Longest `evidence` value (Unicode scalars).
    public static let maxEvidenceValueLength = 256
    /// Longest kill-switch `reason` (Unicode scalars).
    public static let maxKillSwitchReasonLength = 256

    /// Whether `id` is 1–64 characters of `[A-Za-z0-9._-]`.
    public static func isValidProposalID(_ id: String) -> Bool {
        let u = id.utf8
        return !u.isEmpty && u.count <= maxProposalIDLength && u.allSatisfy { c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }
}
