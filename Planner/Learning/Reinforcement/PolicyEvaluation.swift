/// Returns of whole episodes played by a fixed policy: SB3's `evaluate_policy` (deterministic actions by default).
public enum PolicyEvaluation {
    /// The return of each of `episodes` episodes, each started by `reset` on a generator seeded with `seed`.
    public static func episodeReturns<Environment: ReinforcementEnvironment>(
        of model: ActorCritic, in environment: Environment, episodes: Int, seed: UInt64, deterministic: Bool = true,
        maxStepsPerEpisode: Int = 1_000_000
    ) -> [Double] {
        var environment = environment
        var generator = SeededGenerator(seed: seed)
        var returns: [Double] = []
        returns.reserveCapacity(episodes)
        for _ in 0..<episodes {
            var observation = environment.reset(using: &generator)
            var total = 0.0
            for _ in 0..<maxStepsPerEpisode {
                let action = model.act(observation, deterministic: deterministic, using: &generator).action
                let step = environment.step(environment.actionSpace.clipped(action), using: &generator)
                total += step.reward
                observation = step.observation
                if step.done { break }
            }
            returns.append(total)
        }
        return returns
    }
}
