/// One rollout of on-policy experience and its generalised advantage estimates: Stable-Baselines3's
/// `RolloutBuffer` for a single environment.
///
/// Row `t` holds the observation the agent acted on, the (unclipped) action, the reward that followed, whether the
/// observation began an episode, the value estimate and the action's log-probability at collection time.
public struct RolloutBuffer: Sendable {
    public let capacity: Int
    public let observationSize: Int
    public let actionSize: Int
    public var observations: [Double]
    public var actions: [Double]
    public var rewards: [Double]
    public var episodeStarts: [Bool]
    public var values: [Double]
    public var logProbabilities: [Double]
    public private(set) var advantages: [Double]
    public private(set) var returns: [Double]
    public private(set) var count = 0

    public init(capacity: Int, observationSize: Int, actionSize: Int) {
        precondition(capacity > 0, "RolloutBuffer capacity must be positive")
        self.capacity = capacity
        self.observationSize = observationSize
        self.actionSize = actionSize
        observations = [Double](repeating: 0, count: capacity * observationSize)
        actions = [Double](repeating: 0, count: capacity * actionSize)
        rewards = [Double](repeating: 0, count: capacity)
        episodeStarts = [Bool](repeating: false, count: capacity)
        values = [Double](repeating: 0, count: capacity)
        logProbabilities = [Double](repeating: 0, count: capacity)
        advantages = [Double](repeating: 0, count: capacity)
        returns = [Double](repeating: 0, count: capacity)
    }

    public var isFull: Bool { count == capacity }

    /// Empties the buffer for the next rollout (storage is reused).
    public mutating func reset() {
        count = 0
    }

    /// Appends one step.
    public mutating func add(
        observation: [Double], action: [Double], reward: Double, episodeStart: Bool, value: Double,
        logProbability: Double
    ) {
        precondition(count < capacity, "RolloutBuffer is full")
        precondition(observation.count == observationSize && action.count == actionSize, "RolloutBuffer row shape")
        let t = count
        for i in 0..<observationSize { observations[t * observationSize + i] = observation[i] }
        for i in 0..<actionSize { actions[t * actionSize + i] = action[i] }
        rewards[t] = reward
        episodeStarts[t] = episodeStart
        values[t] = value
        logProbabilities[t] = logProbability
        count += 1
    }

    /// GAE(λ) advantages and λ-returns (advantage + value), exactly as SB3's `compute_returns_and_advantage`:
    /// `lastValue` is the value of the observation after the final step, `lastDone` whether that step ended an
    /// episode (then nothing is bootstrapped past it).
    public mutating func computeReturnsAndAdvantages(lastValue: Double, lastDone: Bool, gamma: Double, lambda: Double) {
        var gae = 0.0
        for t in stride(from: count - 1, through: 0, by: -1) {
            let nextNonTerminal: Double
            let nextValue: Double
            if t == count - 1 {
                nextNonTerminal = lastDone ? 0 : 1
                nextValue = lastValue
            } else {
                nextNonTerminal = episodeStarts[t + 1] ? 0 : 1
                nextValue = values[t + 1]
            }
            let delta = rewards[t] + gamma * nextValue * nextNonTerminal - values[t]
            gae = delta + gamma * lambda * nextNonTerminal * gae
            advantages[t] = gae
        }
        for t in 0..<count { returns[t] = advantages[t] + values[t] }
    }
}
