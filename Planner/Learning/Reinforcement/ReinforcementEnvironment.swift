/// A Markov decision process an agent can act in, step by step: gymnasium's `Env` with its five-tuple.
///
/// The generator is a parameter so an episode replays exactly from a seed. `terminated` means the episode ended
/// inside the task (the pole fell): the value after it is zero. `truncated` means it was cut off from outside
/// (a time limit): PPO bootstraps the value of the last observation there, as Stable-Baselines3 does.
public protocol ReinforcementEnvironment {
    /// Numbers per observation.
    var observationSize: Int { get }
    /// The actions accepted by `step`.
    var actionSpace: ActionSpace { get }
    /// Starts a new episode and returns its first observation.
    mutating func reset(using generator: inout SeededGenerator) -> [Double]
    /// Applies `action` (already clipped into the action space) and returns what followed.
    mutating func step(_ action: [Double], using generator: inout SeededGenerator) -> EnvironmentStep
}

/// One transition's outcome: the next observation, the reward, and whether and how the episode ended.
public struct EnvironmentStep: Sendable, Equatable {
    public var observation: [Double]
    public var reward: Double
    /// The episode ended inside the task; nothing follows.
    public var terminated: Bool
    /// The episode was cut off (a time limit); the task itself would have gone on.
    public var truncated: Bool

    public init(observation: [Double], reward: Double, terminated: Bool, truncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }

    /// Either way of ending.
    public var done: Bool { terminated || truncated }
}
