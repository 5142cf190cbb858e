import Ethereum
import SigningPolicy

/// The demo policy opened up for stress tests and benchmarks: no cooldown, the most rebalances a day the loader
/// allows, and a large daily turnover budget, so that alternating between two allocations is approved again and
/// again. Every other rule still applies.
public enum StressPolicy {
    public static func text(mode: SigningPolicy.Mode = .keeper) throws -> String {
        var text = try EngineFixture.demoPolicyText(mode: mode)
        for (key, value) in [("cooldown", "\"0s\""), ("max_rebalances_per_24h", "1440"),
                             ("max_turnover_bps_per_24h", "1000000")] {
            text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix(key + " ") ? Substring("\(key) = \(value)") : line
            }.joined(separator: "\n")
        }
        return text
    }

    /// From all-reserve, the first step moves half; later steps alternate between two allocations 1,000 bps apart.
    public static func step(_ n: Int) -> (targets: [Proposal.Target], reserveBps: Int) {
        if n == 0 { return DemoProposals.allocations[0] }
        let a = DemoProposals.allocations[1]
        let b: (targets: [Proposal.Target], reserveBps: Int) = (
            [.init(adapter: DemoProposals.aaveUSDC, weightBps: 3000),
             .init(adapter: DemoProposals.aaveUSDT, weightBps: 4000),
             .init(adapter: DemoProposals.curve3pool, weightBps: 2500)], 500)
        return n % 2 == 1 ? a : b
    }
}
