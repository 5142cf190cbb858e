import Allocation
import Backtest
import Foundation
import Learning
import Reinforcement
import Testing

/// The training simulator (block bootstrap plus real de-peg shocks), the features, the environment's episodes,
/// and the trained agent as a backtest strategy.
@Suite struct TrainingSimulatorTests {
    @Test func bootstrapPathsAreMadeOfRealRowsInBlocks() throws {
        let history = try ReinforcementFixtures.history("2023-01-01", "2023-12-31")
        let sampler = MarketPathSampler(history: history, days: 60, blockLength: 20)
        var generator = SeededGenerator(seed: 31)
        let path = sampler.sample(using: &generator)
        #expect(path.stepCount == 60 && path.markets == history.markets)
        // Each 20-step block is a run of consecutive history steps (same quotes for every market, same gas).
        for block in 0..<3 {
            let first = block * 20
            let origin = try #require((0..<history.stepCount).first { s in
                history.gasPriceWei[s] == path.gasPriceWei[first]
                    && (0..<history.marketCount).allSatisfy { history.quote(step: s, market: $0) ==
                        path.quote(step: first, market: $0) }
            })
            for k in 1..<20 {
                for m in 0..<history.marketCount {
                    #expect(path.quote(step: first + k, market: m) == history.quote(step: origin + k, market: m))
                }
            }
        }
    }

    @Test func marchTwentyTwentyThreeIsFoundAsADepegEpisodeAndLaidOverPaths() throws {
        let history = try ReinforcementFixtures.history("2023-01-01", "2023-06-30")
        let episodes = MarketPathSampler.depegEpisodes(history)
        #expect(episodes.count == 1)
        #expect((episodes.first?.min() ?? 0) < -0.04)  // USDC at 0.9555 on the daily grid (2023-03-12 00:00)
        var sampler = MarketPathSampler(history: history, days: 60, blockLength: 10)
        sampler.shockProbability = 1
        var generator = SeededGenerator(seed: 32)
        var lowest = 1.0
        for _ in 0..<20 {
            let path = sampler.sample(using: &generator)
            lowest = min(lowest, path.quotes.map(\.price).min() ?? 1)
        }
        #expect(lowest < 0.96)
        // Without shocks, paths only contain the history's own prices.
        sampler.shockProbability = 0
        let calm = MarketPathSampler(history: history.slice(80..<history.stepCount), days: 60, blockLength: 10)
        #expect(calm.sample(using: &generator).quotes.allSatisfy { $0.price > 0.98 })
    }

    @Test func featuresHideMarketsOutsideTheStage() throws {
        let history = try ReinforcementFixtures.history("2024-01-01", "2024-03-31")
        let context = MarketSimulator(panel: history, policy: try ReinforcementFixtures.policy()).context
        let stage = CurriculumStage.seed(1)
        let enabled = stage.enabled(history.markets)
        let features = AllocationFeatures.observation(context, enabled: enabled)
        #expect(features.count == AllocationFeatures.size(marketCount: history.marketCount))
        #expect(features.allSatisfy { $0.isFinite })
        for m in 0..<history.marketCount {
            let block = features[(m * AllocationFeatures.perMarket)..<((m + 1) * AllocationFeatures.perMarket)]
            if enabled[m] {
                #expect(block.first == 1)
            } else {
                #expect(block.allSatisfy { $0 == 0 })
            }
        }
        #expect(features[history.marketCount * AllocationFeatures.perMarket] == 1)  // all in reserve
    }

    /// Stage 2 (gas, no shocks): holding the equal-weight wish earns a positive yield net of gas.
    @Test func environmentEpisodeEndsTruncatedAfterItsPath() throws {
        let history = try ReinforcementFixtures.history("2023-01-01", "2023-12-31")
        var environment = AllocationEnvironment(sampler: MarketPathSampler(history: history, days: 30),
                                                policy: try ReinforcementFixtures.policy(), stage: .seed(2))
        var generator = SeededGenerator(seed: 33)
        let first = environment.reset(using: &generator)
        #expect(first.count == environment.observationSize)
        var steps = 0
        var last = EnvironmentStep(observation: [], reward: 0, terminated: false, truncated: false)
        while !last.done {
            last = environment.step(Array(repeating: 0.5, count: history.marketCount + 1), using: &generator)
            #expect(last.reward.isFinite)
            steps += 1
        }
        #expect(steps == 29 && last.truncated && !last.terminated)
        #expect(environment.episodeTerms.yield > 0)
    }

    @Test func savedAgentLoadsAndRunsAsTheBacktestsPPOStrategy() throws {
        let history = try ReinforcementFixtures.history("2024-01-01", "2024-04-30")
        var generator = SeededGenerator(seed: 34)
        let n = history.marketCount
        let model = ActorCritic(observationSize: AllocationFeatures.size(marketCount: n),
                                actionSpace: AllocationActionMapping.actionSpace(marketCount: n), generator: &generator)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ppo-\(UInt64.random(in: 0...UInt64.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try AllocatorPolicyFile(markets: history.markets.map(\.id), temperature: 3, training: ["seed": "34"],
                                model: model).save(url)
        let strategy = try PPOAllocationStrategy(contentsOf: url)
        #expect(strategy.name == "ppo" && strategy.kind == .strategy)
        let run = BacktestRunner.run(strategy, panel: history, policy: try ReinforcementFixtures.policy(),
                                     configuration: SimulatorConfiguration(killSwitch: KillSwitchGuard()))
        #expect(run.policyRejections == 0)
        #expect(run.rebalances > 0)
        // On a panel with fewer markets than trained, the agent still only proposes valid allocations.
        let fewer = history.markets.prefix(3).map(\.id)
        let sub = MarketPanel(markets: Array(history.markets.prefix(3)), times: history.times,
                              stepSeconds: history.stepSeconds,
                              quotes: (0..<history.stepCount).flatMap { t in
                                  (0..<3).map { history.quote(step: t, market: $0) }
                              },
                              gasPriceWei: history.gasPriceWei, ethPriceUSD: history.ethPriceUSD)
        #expect(sub.markets.map(\.id) == fewer)
        let subRun = BacktestRunner.run(strategy, panel: sub, policy: try ReinforcementFixtures.policy(),
                                        configuration: SimulatorConfiguration())
        #expect(subRun.policyRejections == 0)
    }

    @Test func policyFileForOtherMarketsIsRefused() throws {
        var generator = SeededGenerator(seed: 35)
        let model = ActorCritic(observationSize: AllocationFeatures.size(marketCount: 2),
                                actionSpace: AllocationActionMapping.actionSpace(marketCount: 2), generator: &generator)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ppo-bad-\(UInt64.random(in: 0...UInt64.max)).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try AllocatorPolicyFile(markets: ["a", "b", "c"], temperature: 3, training: [:], model: model).save(url)
        #expect(throws: AllocatorPolicyError.self) { try PPOAllocationStrategy(contentsOf: url) }
        try Data("not json".utf8).write(to: url)
        #expect(throws: AllocatorPolicyError.self) { try PPOAllocationStrategy(contentsOf: url) }
    }
}
