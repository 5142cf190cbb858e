import ArgumentParser
import Foundation
import Learning

/// `planner train cartpole`: PPO with SB3's defaults on gymnasium's CartPole-v1, then a deterministic evaluation.
struct TrainCartPoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartpole",
        abstract: "Train PPO on CartPole-v1 and report the mean return over evaluation episodes.",
        discussion: """
            Trains whole rollouts of 2048 steps while the next one fits in --steps, then plays --episodes episodes
            with the deterministic policy (most likely action) from evaluation seed --seed + 1000. CartPole-v1
            counts as solved at a mean return of 475 or more (the maximum is 500).

            Example:
              planner train cartpole --steps 300000 --seed 1 --json
            """)

    @Option(help: ArgumentHelp("Environment steps to train for at most.", valueName: "N"))
    var steps: Int = 300_000

    @Option(help: ArgumentHelp("Seed for weights, environment and sampling.", valueName: "N"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Evaluation episodes.", valueName: "N"))
    var episodes: Int = 100

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "Print the training return after every rollout (on standard error).")
    var verbose = false

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        guard episodes > 0 else { throw ValidationError("--episodes must be positive") }
    }

    func run() throws {
        let ppo = PPO(environment: CartPole(), seed: seed)
        var firstSolvedAt: Int?
        let clock = ContinuousClock()
        let started = clock.now
        ppo.learn(totalTimesteps: steps) { ppo in
            let recent = ppo.recentMeanReturn() ?? 0
            if firstSolvedAt == nil, ppo.episodeReturns.count >= 100, recent >= 475 { firstSolvedAt = ppo.timesteps }
            if verbose {
                FileHandle.standardError.write(Data("steps \(ppo.timesteps) ep_rew_mean \(recent)\n".utf8))
            }
        }
        let seconds = (clock.now - started).seconds
        let returns = PolicyEvaluation.episodeReturns(of: ppo.model, in: CartPole(), episodes: episodes,
                                                      seed: seed &+ 1000)
        let mean = returns.reduce(0, +) / Double(returns.count)
        let result: [String: Any] = [
            "environment": "CartPole-v1", "seed": seed, "steps": ppo.timesteps, "episodes": episodes,
            "mean_return": mean, "min_return": returns.min() ?? 0, "solved": mean >= 475,
            "training_mean_return_reached_475_at": firstSolvedAt.map { $0 as Any } ?? NSNull(),
            "train_seconds": seconds, "steps_per_s": Double(ppo.timesteps) / max(seconds, 1e-9),
        ]
        if json {
            print(JSONText.serialize(result))
        } else {
            print("CartPole-v1 seed \(seed): \(ppo.timesteps) steps in \(String(format: "%.1f", seconds)) s, "
                  + "mean return \(mean) over \(episodes) episodes (\(mean >= 475 ? "solved" : "not solved"))")
        }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
