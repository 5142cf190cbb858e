/// Stable-Baselines3's `MlpPolicy` for PPO: separate policy and value networks (64-64 tanh by default), an
/// action head (logits or Gaussian means) and a value head, orthogonally initialised with gains √2 for hidden
/// layers, 0.01 for the action head and 1 for the value head, zero biases, and a state-independent log standard
/// deviation starting at 0 for continuous actions.
///
/// One optimiser updates `parameters` (both networks and the log standard deviation) together, as SB3's does.
public final class ActorCritic {
    public let observationSize: Int
    public let actionSpace: ActionSpace
    public let hiddenSizes: [Int]
    public let distribution: PolicyDistribution
    /// Observation → logits or means.
    public let policyNetwork: Sequential
    /// Observation → state value (one column).
    public let valueNetwork: Sequential
    /// 1 × actions for a Gaussian policy; 1 × 0 for a categorical one.
    public let logStd: Parameter

    public init(
        observationSize: Int, actionSpace: ActionSpace, hiddenSizes: [Int] = [64, 64],
        generator: inout SeededGenerator
    ) {
        precondition(observationSize > 0 && !hiddenSizes.isEmpty, "ActorCritic needs observations and hidden layers")
        self.observationSize = observationSize
        self.actionSpace = actionSpace
        self.hiddenSizes = hiddenSizes
        distribution = PolicyDistribution(actionSpace)
        policyNetwork = Self.network(
            inputs: observationSize, hidden: hiddenSizes, outputs: actionSpace.headSize, headGain: 0.01,
            name: "policy", generator: &generator
        )
        valueNetwork = Self.network(
            inputs: observationSize, hidden: hiddenSizes, outputs: 1, headGain: 1, name: "value",
            generator: &generator
        )
        let logStdWidth = distribution == .diagonalGaussian ? actionSpace.actionSize : 0
        logStd = Parameter("log_std", value: Matrix(rows: 1, columns: logStdWidth))
    }

    private static func network(
        inputs: Int, hidden: [Int], outputs: Int, headGain: Double, name: String, generator: inout SeededGenerator
    ) -> Sequential {
        var layers: [any Layer] = []
        var width = inputs
        for (index, size) in hidden.enumerated() {
            layers.append(Dense(inputs: width, outputs: size, initialization: .orthogonal(gain: 2.0.squareRoot()),
                                generator: &generator, name: "\(name).\(index)"))
            layers.append(Activation(.tanh))
            width = size
        }
        layers.append(Dense(inputs: width, outputs: outputs, initialization: .orthogonal(gain: headGain),
                            generator: &generator, name: "\(name).head"))
        return Sequential(layers)
    }

    /// Every trainable parameter: policy network, value network, log standard deviation.
    public var parameters: [Parameter] {
        policyNetwork.parameters + valueNetwork.parameters + (logStd.value.count > 0 ? [logStd] : [])
    }

    /// An action for one observation (sampled, or the mode when `deterministic`), its log-probability, and the
    /// state value.
    public func act(
        _ observation: [Double], deterministic: Bool = false, using generator: inout SeededGenerator
    ) -> (action: [Double], logProbability: Double, value: Double) {
        let input = Matrix(row: observation)
        let head = policyNetwork.forward(input)
        let value = valueNetwork.forward(input).values[0]
        let (action, logProbability) = distribution.sample(
            head: head.values, logStd: logStd.value.values, deterministic: deterministic, using: &generator
        )
        return (action, logProbability, value)
    }

    /// The state value of one observation.
    public func value(of observation: [Double]) -> Double {
        valueNetwork.forward(Matrix(row: observation)).values[0]
    }

    /// The deterministic action (most likely index or Gaussian mean) for one observation.
    public func deterministicAction(_ observation: [Double]) -> [Double] {
        var unused = SeededGenerator(seed: 0)
        return act(observation, deterministic: true, using: &unused).action
    }
}
