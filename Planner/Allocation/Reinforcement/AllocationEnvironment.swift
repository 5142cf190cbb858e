import Allocation
import Backtest
import Learning
import SigningPolicy

/// The allocator's reinforcement-learning environment: daily decisions in a `Backtest.MarketSimulator` (the real
/// policy evaluator, gas, slippage, kill switch) over synthetic paths from a `MarketPathSampler`.
///
/// State: `AllocationFeatures`. Action: target weights plus reserve, mapped by `AllocationActionMapping` onto the
/// policy. Reward: `AllocationReward` with the stage's weights. An episode is one sampled path (truncated at its
/// end, so PPO bootstraps), starting all in reserve as the appliance does.
public struct AllocationEnvironment: ReinforcementEnvironment {
    public let sampler: MarketPathSampler
    public let policy: SigningPolicy
    public var stage: CurriculumStage
    public var weights: AllocationReward.Weights
    public var mapping: AllocationActionMapping
    public var configuration: SimulatorConfiguration
    private let enabled: [Bool]
    private var simulator: MarketSimulator?
    private var returns: [Double] = []
    /// The unweighted reward terms summed over the current episode (for reports).
    public private(set) var episodeTerms = AllocationReward.Terms()

    public init(sampler: MarketPathSampler, policy: SigningPolicy, stage: CurriculumStage,
                weights: AllocationReward.Weights = .training, mapping: AllocationActionMapping = .init(),
                capitalUSD: Double = 1_000_000) {
        self.sampler = sampler
        self.policy = policy
        self.stage = stage
        self.weights = stage.rewardWeights(weights)
        self.mapping = mapping
        configuration = SimulatorConfiguration(capitalUSD: capitalUSD, killSwitch: stage.risk ? KillSwitchGuard() : nil)
        enabled = stage.enabled(sampler.history.markets)
    }

    public var observationSize: Int { AllocationFeatures.size(marketCount: sampler.history.marketCount) }
    public var actionSpace: ActionSpace {
        AllocationActionMapping.actionSpace(marketCount: sampler.history.marketCount)
    }

    public mutating func reset(using generator: inout SeededGenerator) -> [Double] {
        var path = sampler
        path.shockProbability = stage.risk ? max(sampler.shockProbability, 0.3) : 0
        let panel = path.sample(using: &generator, withoutGas: !stage.gas)
        let simulator = MarketSimulator(panel: panel, policy: policy, configuration: configuration)
        self.simulator = simulator
        returns = []
        episodeTerms = AllocationReward.Terms()
        return AllocationFeatures.observation(simulator.context, enabled: enabled)
    }

    public mutating func step(_ action: [Double], using generator: inout SeededGenerator) -> EnvironmentStep {
        guard var simulator else { preconditionFailure("AllocationEnvironment: reset before step") }
        let context = simulator.context
        let decision = mapping.decision(action, context: context, enabled: enabled)
        let outcome = simulator.advance(decision)
        let periodsPerYear = 365.0 * Double(simulator.panel.stepsPerDay)
        let sharpeBefore = AllocationReward.sharpe(returns.suffix(30), periodsPerYear: periodsPerYear)
        returns.append(outcome.periodReturn)
        let sharpeAfter = AllocationReward.sharpe(returns.suffix(30), periodsPerYear: periodsPerYear)
        let after = simulator.context
        let held = after.current.heldMarkets
        let risk = held.map {
            Double(MarketRiskScore.score(after.quote($0), adapterClass: after.panel.markets[$0].adapterClass.rawValue))
        }.max() ?? 0
        let coverage = held.map { m -> Double in
            let position = Double(after.current.bps[m]) / 10_000 * after.portfolioValueUSD
            return position > 0 ? after.quote(m).availableLiquidityUSD / position : .infinity
        }.min() ?? .infinity
        let days = after.lastRebalanceAt.map { Double(after.now.seconds - $0.seconds) / 86_400 } ?? .infinity
        let facts = AllocationReward.StepFacts(
            valueBeforeUSD: outcome.valueBeforeUSD, valueAfterUSD: outcome.valueAfterUSD, gasUSD: outcome.gasUSD,
            maxRiskScore: risk, weightsAfter: after.current.fractions, daysSinceLastRebalance: days,
            sharpeBefore: sharpeBefore, sharpeAfter: sharpeAfter, killSwitchEngaged: simulator.killSwitchEngaged,
            liquidityCoverage: coverage)
        let terms = AllocationReward.terms(facts)
        accumulate(terms)
        self.simulator = simulator
        let observation = AllocationFeatures.observation(after, enabled: enabled)
        return EnvironmentStep(observation: observation, reward: terms.total(weights), terminated: false,
                               truncated: simulator.isFinished)
    }

    private mutating func accumulate(_ t: AllocationReward.Terms) {
        episodeTerms.yield += t.yield
        episodeTerms.risk += t.risk
        episodeTerms.gas += t.gas
        episodeTerms.impermanentLoss += t.impermanentLoss
        episodeTerms.stability += t.stability
        episodeTerms.sharpe += t.sharpe
        episodeTerms.killSwitch += t.killSwitch
        episodeTerms.liquidity += t.liquidity
    }
}
