import ArgumentParser
import Foundation
import Learning

/// `planner train bandit`: PPO with a Gaussian policy on the continuous allocation bandit (known optimum).
struct TrainBanditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bandit",
        abstract: "Train PPO on the continuous allocation bandit and report the gap to its known optimum.",
        discussion: """
            Four assets with expected yields 8.4, 4.4, 2.8, 2.2 and variances 8, 4, 2, 1; reward = realised yield
            of w = softmax(action), action in [−3, 3]⁴, minus Σ σ²w². The optimum (0.4, 0.3, 0.2, 0.1) scores
            3.73. Reports the expected reward of the policy's mean action and its relative gap to the optimum.

            Example:
              planner train bandit --steps 100000 --seed 1 --json
            """)

    @Option(help: ArgumentHelp("Environment steps to train for at most.", valueName: "N"))
    var steps: Int = 100_000

    @Option(help: ArgumentHelp("Seed for weights, rewards and sampling.", valueName: "N"))
    var seed: UInt64 = 1

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
    }

    func run() throws {
        let bandit = AllocationBandit()
        let ppo = PPO(environment: bandit, seed: seed)
        ppo.learn(totalTimesteps: steps)
        let weights = bandit.weights(for: ppo.model.deterministicAction([1]))
        let value = bandit.expectedReward(weights)
        let gap = (bandit.optimalReward - value) / abs(bandit.optimalReward)
        if json {
            print(JSONText.serialize([
                "environment": "allocation_bandit", "seed": seed, "steps": ppo.timesteps, "weights": weights,
                "optimal_weights": bandit.optimalWeights, "expected_reward": value,
                "optimal_reward": bandit.optimalReward, "relative_gap": gap,
            ]))
        } else {
            print("allocation bandit seed \(seed): \(ppo.timesteps) steps, weights "
                  + weights.map { String(format: "%.3f", $0) }.joined(separator: " ")
                  + String(format: ", expected reward %.4f of %.4f (gap %.2f %%)", value, bandit.optimalReward,
                           100 * gap))
        }
    }
}
