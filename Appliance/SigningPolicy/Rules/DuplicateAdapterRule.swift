import Ethereum

/// `adapters.duplicate`: no adapter appears twice in `targets`. Code: `DUPLICATE_ADAPTER`.
public struct DuplicateAdapterRule: PolicyRule {
    public let name = "adapters.duplicate"
    public let codes: Set<ReasonCode> = [.duplicateAdapter]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        var seen: Set<Address> = []
        var repeated: [String] = []
        for target in proposal.targets where !seen.insert(target.adapter).inserted {
            let text = target.adapter.checksummed
            if !repeated.contains(text) { repeated.append(text) }
        }
        guard repeated.isEmpty else {
            return fail(.duplicateAdapter, "listed more than once: \(repeated.joined(separator: ", "))")
        }
        return .passed
    }
}
