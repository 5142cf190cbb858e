import Allocation
import Backtest
import Foundation
import SigningPolicy

/// Small hand-made panels and the committed policies, for backtest tests.
enum BacktestFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func policy(_ name: String = "backtest") throws -> SigningPolicy {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("policy/\(name).toml"), encoding: .utf8)
        return try SigningPolicy.load(toml: text)
    }

    /// A daily panel from 2024-01-01 over `days` steps with markets `ids` (allowlisted by policy/backtest.toml),
    /// constant APY, liquidity and utilisation unless `quote` says otherwise; gas 10 gwei, ETH $2,000.
    static func panel(ids: [String] = ["aave_v3_usdc_eth", "aave_v3_usdt_eth"], days: Int = 30,
                      stepSeconds: Int64 = 86_400,
                      quote: (_ step: Int, _ market: Int) -> MarketQuote = { _, m in
                          MarketQuote(supplyAPY: m == 0 ? 0.05 : 0.03, price: 1, tvlUSD: 1e9,
                                      availableLiquidityUSD: 2e8, utilization: 0.8, isAvailable: true)
                      }) -> MarketPanel {
        let start: Int64 = 1_704_067_200  // 2024-01-01T00:00:00Z
        let steps = Int(Int64(days) * 86_400 / stepSeconds) + 1
        let times = (0..<steps).map { Timestamp(seconds: start + Int64($0) * stepSeconds) }
        let markets = ids.map { id in
            MarketInfo(id: id, token: String(id.split(separator: "_")[2]),
                       adapter: MarketAdapters.address(forMarket: id), adapterClass: .lending, maxWeightBps: 5_000)
        }
        var quotes: [MarketQuote] = []
        for t in 0..<steps { for m in ids.indices { quotes.append(quote(t, m)) } }
        return MarketPanel(markets: markets, times: times, stepSeconds: stepSeconds, quotes: quotes,
                           gasPriceWei: Array(repeating: 10e9, count: steps), ethPriceUSD: Array(repeating: 2_000,
                                                                                                 count: steps))
    }
}

/// A strategy that asks for the same target at every step (the runner decides nothing for it).
struct FixedTargetStrategy: AllocationStrategy {
    let name = "fixed"
    let kind = StrategyKind.strategy
    var target: TargetWeights
    var claim: Int? = 500
    mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        .rebalance(target, expectedAPYGainBps: claim)
    }
}

/// A strategy that wants to flip between two allocations at every step.
struct FlipFlopStrategy: AllocationStrategy {
    let name = "flip_flop"
    let kind = StrategyKind.strategy
    var flip = false
    mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        flip.toggle()
        let n = context.marketCount
        var bps = Array(repeating: 0, count: n)
        bps[flip ? 0 : n - 1] = 5_000
        return .rebalance(TargetWeights(bps: bps, reserveBps: 5_000), expectedAPYGainBps: 500)
    }
}
