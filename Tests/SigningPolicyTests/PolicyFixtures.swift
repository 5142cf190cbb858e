import BigInt
import Ethereum
import Foundation
import SigningPolicy

/// The demo policy, its adapters, and a proposal/state pair that every rule allows: tests change one thing.
enum PolicyFixtures {
    static let policyDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policy")

    static func text(_ relativePath: String) -> String {
        (try? String(contentsOf: policyDirectory.appendingPathComponent(relativePath), encoding: .utf8)) ?? ""
    }

    static let demoText = text("demo.toml")
    // swiftlint:disable:next force_try
    static let demo = try! SigningPolicy.load(toml: demoText)

    static func address(_ hex: String) -> Address {
        // swiftlint:disable:next force_try
        try! Address(hex: hex)
    }

    static let aaveUSDC = address("0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C")
    static let aaveUSDT = address("0x8de50eEbb41B538C11618E940875a22318B6862a")
    static let curve3pool = address("0xf379d3D24B35322BA22d25C7da83c40849e0109a")
    static let uniswapUSDCUSDT = address("0x7b72853019358b86664B185D1b757602Fadb6E1D")
    static let stranger = address("0x000000000000000000000000000000000000dEaD")

    static let now = Timestamp(rfc3339: "2026-11-27T09:00:00Z")!

    static func hours(_ h: Int64) -> Duration { Duration(seconds: h * 3_600) }

    static func gwei(_ n: Int) -> BigUInt { BigUInt(n) * BigUInt(1_000_000_000) }

    /// Moves 2500 bps from the two Aave markets into Curve: inside every bound of the demo policy.
    static let proposal = Proposal(
        id: "2026-11-27T09-00-a1", createdAt: now - Duration(seconds: 60), chainID: 1, kind: .rebalance,
        targets: [
            .init(adapter: aaveUSDC, weightBps: 4000), .init(adapter: aaveUSDT, weightBps: 3000),
            .init(adapter: curve3pool, weightBps: 2500),
        ],
        reserveBps: 500, maxSlippageBps: 10,
        gas: .init(maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(1), gasLimit: 450_000),
        expected: .init(apyGainBps: 100, gasCostBps: 2, maxRiskScore: 35)
    )

    /// An emergency exit into the safe haven (Aave V3 USDC).
    static let exit = Proposal(
        id: "2026-11-27T09-00-exit", createdAt: now - Duration(seconds: 60), chainID: 1, kind: .emergencyExit,
        targets: [.init(adapter: aaveUSDC, weightBps: 9500)],
        reserveBps: 500, maxSlippageBps: 10,
        gas: .init(maxFeePerGas: gwei(30), maxPriorityFeePerGas: gwei(1), gasLimit: 450_000),
        expected: .init(apyGainBps: 0, gasCostBps: 2, maxRiskScore: 35)
    )

    /// Last approved 7 h ago: 50 % / 45 % in the two Aave markets, 5 % reserve.
    static let state = PolicyState(
        lastApproved: .init(weights: [aaveUSDC: 5000, aaveUSDT: 4500], reserveBps: 500),
        lastRebalanceAt: now - hours(7),
        recentApprovals: [.init(decidedAt: now - hours(7), turnoverBps: 2000)]
    )

    static func decide(
        _ proposal: Proposal = proposal, policy: SigningPolicy = demo, state: PolicyState = state,
        now: Timestamp = now
    ) -> PolicyDecision {
        PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: state, now: now)
    }

    /// The demo policy text with `old` replaced by `new` (exactly once).
    static func demo(replacing old: String, with new: String) -> String {
        precondition(demoText.components(separatedBy: old).count == 2, "fixture text must occur once: \(old)")
        return demoText.replacingOccurrences(of: old, with: new)
    }
}
