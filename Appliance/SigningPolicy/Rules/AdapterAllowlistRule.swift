/// `adapters.allowlist`: every target adapter is in `[adapters]`, compared as 20-byte values. An empty allowlist
/// allows no target. Code: `ADAPTER_NOT_ALLOWED`.
public struct AdapterAllowlistRule: PolicyRule {
    public let name = "adapters.allowlist"
    public let codes: Set<ReasonCode> = [.adapterNotAllowed]
    public init() {}

    public func evaluate(
        _ proposal: Proposal, policy: SigningPolicy, state: PolicyState, now: Timestamp
    ) -> RuleResult {
        var unknown: [String] = []
        for target in proposal.targets where policy.adapters[target.adapter] == nil {
            let text = target.adapter.checksummed
            if !unknown.contains(text) { unknown.append(text) }
        }
        guard unknown.isEmpty else {
            return fail(.adapterNotAllowed, "not in the allowlist: \(unknown.joined(separator: ", "))")
        }
        return .passed
    }
}
