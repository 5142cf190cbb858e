/// PPO's hyperparameters; the defaults are Stable-Baselines3's (`PPO("MlpPolicy", env)`).
public struct PPOConfiguration: Sendable, Equatable {
    /// Environment steps per rollout (`n_steps`).
    public var stepsPerRollout = 2048
    /// Minibatch size (`batch_size`).
    public var batchSize = 64
    /// Passes over each rollout (`n_epochs`).
    public var epochs = 10
    /// Discount factor.
    public var gamma = 0.99
    /// GAE's λ (`gae_lambda`).
    public var gaeLambda = 0.95
    /// The probability-ratio clip ε (`clip_range`).
    public var clipRange = 0.2
    /// Weight of the entropy bonus (`ent_coef`).
    public var entropyCoefficient = 0.0
    /// Weight of the value loss (`vf_coef`).
    public var valueCoefficient = 0.5
    /// Global gradient-norm clip (`max_grad_norm`).
    public var maxGradientNorm = 0.5
    /// Adam's step size (constant, as SB3's default schedule).
    public var learningRate = 3e-4
    /// Adam's ε: SB3 builds its optimiser with 1e-5, not PyTorch's 1e-8.
    public var adamEpsilon = 1e-5
    /// Hidden widths of both the policy and the value network.
    public var hiddenSizes = [64, 64]
    /// Normalise advantages within each minibatch (`normalize_advantage`).
    public var normalizeAdvantage = true

    public init() {}

    /// Checks the values make sense; returns a message naming the first bad one.
    public func problem() -> String? {
        if stepsPerRollout < 1 { return "stepsPerRollout must be at least 1" }
        if batchSize < 1 { return "batchSize must be at least 1" }
        if epochs < 1 { return "epochs must be at least 1" }
        if !(0...1).contains(gamma) { return "gamma must be in [0, 1]" }
        if !(0...1).contains(gaeLambda) { return "gaeLambda must be in [0, 1]" }
        if clipRange <= 0 { return "clipRange must be positive" }
        if learningRate <= 0 || adamEpsilon <= 0 || maxGradientNorm <= 0 { return "learning rate, ε, clip must be > 0" }
        if hiddenSizes.isEmpty || hiddenSizes.contains(where: { $0 < 1 }) { return "hiddenSizes must be positive" }
        return nil
    }
}
