import BigInt
import Ethereum
import SigningPolicy

/// Proposals against `policy/demo.toml`'s adapters, for tests.
public enum DemoProposals {
    public static let aaveUSDC = try! Address(hex: "0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C")
    public static let aaveUSDT = try! Address(hex: "0x8de50eEbb41B538C11618E940875a22318B6862a")
    public static let curve3pool = try! Address(hex: "0xf379d3D24B35322BA22d25C7da83c40849e0109a")
    public static let uniswapUSDCUSDT = try! Address(hex: "0x7b72853019358b86664B185D1b757602Fadb6E1D")
    /// An address the demo policy does not allow.
    public static let unknownAdapter = try! Address(hex: "0x00000000000000000000000000000000deadbeef")

    /// A path of allocations (targets, reserve) from the all-reserve start: each step moves at least the minimum
    /// change and at most the per-proposal turnover cap (5,000 bps) from the one before; the first two together
    /// stay within the 24 h turnover budget (10,000 bps).
    public static let allocations: [(targets: [Proposal.Target], reserveBps: Int)] = [
        ([.init(adapter: aaveUSDC, weightBps: 2500), .init(adapter: aaveUSDT, weightBps: 2500)], 5000),
        ([.init(adapter: aaveUSDC, weightBps: 4000), .init(adapter: aaveUSDT, weightBps: 3000),
          .init(adapter: curve3pool, weightBps: 2500)], 500),
        ([.init(adapter: aaveUSDC, weightBps: 2500), .init(adapter: aaveUSDT, weightBps: 4500),
          .init(adapter: curve3pool, weightBps: 2500)], 500),
    ]

    /// A rebalance to `allocations[step]` created at `at`, inside every bound of the demo policy when the steps
    /// before it were approved.
    public static func rebalance(id: String, at: Timestamp, step: Int = 0) -> Proposal {
        rebalance(id: id, at: at, targets: allocations[step].targets, reserveBps: allocations[step].reserveBps)
    }

    /// A rebalance to the given targets, with the demo's usual gas, slippage and claims.
    public static func rebalance(id: String, at: Timestamp, targets: [Proposal.Target], reserveBps: Int) -> Proposal {
        Proposal(
            id: id, createdAt: at, chainID: 1, kind: .rebalance, targets: targets,
            reserveBps: reserveBps, maxSlippageBps: 10,
            gas: .init(maxFeePerGas: BigUInt(30_000_000_000), maxPriorityFeePerGas: BigUInt(1_000_000_000),
                       gasLimit: 450_000),
            expected: .init(apyGainBps: 100, gasCostBps: 2, maxRiskScore: 35),
            evidence: [.init(key: "model", value: "test")])
    }

    /// An emergency exit to the demo safe haven (Aave V3 USDC).
    public static func emergencyExit(id: String, at: Timestamp, reserveBps: Int = 500) -> Proposal {
        var p = rebalance(id: id, at: at, targets: [.init(adapter: aaveUSDC, weightBps: 10_000 - reserveBps)],
                          reserveBps: reserveBps)
        p.kind = .emergencyExit
        return p
    }
}
