/// PPO training throughput on CartPole-v1 with Stable-Baselines3's defaults: environment steps per second of
/// `learn` (collection and updates together), the figure SB3 prints as `fps`.
///
/// A benchmark, not a test: `planner bench` reports it; the clock is a parameter.
public struct PPOBenchmark: Sendable {
    /// Rollouts of 2048 steps to time (after none untimed: the first rollout is part of the work).
    public var rollouts: Int
    public var seed: UInt64

    public init(rollouts: Int = 5, seed: UInt64 = 1) {
        precondition(rollouts > 0, "rollouts must be positive")
        self.rollouts = rollouts
        self.seed = seed
    }

    /// Training steps per second, timed on `clock`.
    public func stepsPerSecond<C: Clock>(clock: C) -> Double where C.Duration == Duration {
        let ppo = PPO(environment: CartPole(), seed: seed)
        var steps = 0
        let elapsed = clock.measure {
            steps = ppo.learn(totalTimesteps: rollouts * ppo.configuration.stepsPerRollout)
        }
        let (seconds, attoseconds) = elapsed.components
        return Double(steps) / max(Double(seconds) + Double(attoseconds) * 1e-18, 1e-9)
    }

    /// Training steps per second on the continuous clock.
    public func stepsPerSecond() -> Double { stepsPerSecond(clock: ContinuousClock()) }
}
