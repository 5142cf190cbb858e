import Allocation
import Learning
import SigningPolicy

/// Trains the allocator with PPO through the seed's curriculum (stages 1 → 4), one model and optimiser carried
/// from stage to stage.
///
/// PPO runs with Stable-Baselines3's defaults except `ent_coef` 0.01, the seed's choice for this agent.
public struct AllocatorTraining: Sendable {
    public var history: MarketPanel
    public var policy: SigningPolicy
    /// Environment steps per stage, stages 1…4 (the seed: 200k, 300k, 300k, 500k).
    public var stageSteps: [Int]
    public var seed: UInt64
    public var weights: AllocationReward.Weights
    public var mapping: AllocationActionMapping
    public var episodeDays: Int

    public init(history: MarketPanel, policy: SigningPolicy, stageSteps: [Int], seed: UInt64,
                weights: AllocationReward.Weights = .training, mapping: AllocationActionMapping = .init(),
                episodeDays: Int = 90) {
        self.history = history
        self.policy = policy
        self.stageSteps = stageSteps
        self.seed = seed
        self.weights = weights
        self.mapping = mapping
        self.episodeDays = episodeDays
    }

    /// PPO's settings for the allocator.
    public static var configuration: PPOConfiguration {
        var c = PPOConfiguration()
        c.entropyCoefficient = 0.01
        return c
    }

    /// Runs every stage with a positive step count; `progress` is called after each PPO update with the stage.
    public func run(progress: (CurriculumStage, PPO<AllocationEnvironment>) -> Void = { _, _ in }) -> ActorCritic {
        let sampler = MarketPathSampler(history: history, days: episodeDays)
        func environment(_ stage: CurriculumStage) -> AllocationEnvironment {
            AllocationEnvironment(sampler: sampler, policy: policy, stage: stage, weights: weights, mapping: mapping)
        }
        let ppo = PPO(environment: environment(.seed(1)), configuration: Self.configuration, seed: seed)
        for (index, steps) in stageSteps.enumerated() where steps > 0 {
            let stage = CurriculumStage.seed(index + 1)
            ppo.replaceEnvironment(environment(stage))
            ppo.learn(totalTimesteps: steps) { progress(stage, $0) }
        }
        return ppo.model
    }
}
