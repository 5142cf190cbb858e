import ArgumentParser

/// `planner train`: PPO training runs (the CartPole and bandit checks of the learning core, and the allocator).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train PPO agents: the CartPole and allocation-bandit checks, and the allocation policy.",
        discussion: """
            Every run uses Stable-Baselines3's PPO defaults (n_steps 2048, batch 64, 10 epochs, γ 0.99, λ 0.95,
            clip 0.2, lr 3e-4, 64-64 tanh actor and critic) and replays exactly from --seed. Use a release build:
            debug builds are 10–50× slower.
            """,
        subcommands: [TrainCartPoleCommand.self, TrainBanditCommand.self, TrainAllocatorCommand.self]
    )
}
