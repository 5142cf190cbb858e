/// What an environment accepts as an action: one of `n` choices, or a real vector inside a box.
///
/// The policy's head follows from it, as in Stable-Baselines3: a categorical distribution over logits for
/// `.discrete`, a diagonal Gaussian with a learned log standard deviation for `.box` (sampled actions are clipped
/// to the box before the environment sees them; the unclipped sample is what PPO trains on).
public enum ActionSpace: Sendable, Equatable {
    /// Actions 0..<count, passed to the environment as a one-element vector holding the index.
    case discrete(count: Int)
    /// Real vectors with `low[i] ≤ a[i] ≤ high[i]`.
    case box(low: [Double], high: [Double])

    /// The number of numbers in one action as stored in a rollout (1 for a discrete action).
    public var actionSize: Int {
        switch self {
        case .discrete: return 1
        case .box(let low, _): return low.count
        }
    }

    /// The width of the policy network's head: logits for `.discrete`, means for `.box`.
    public var headSize: Int {
        switch self {
        case .discrete(let count): return count
        case .box(let low, _): return low.count
        }
    }

    /// `action` clipped into the box (a discrete action passes through unchanged).
    public func clipped(_ action: [Double]) -> [Double] {
        switch self {
        case .discrete: return action
        case .box(let low, let high):
            return action.indices.map { min(max(action[$0], low[$0]), high[$0]) }
        }
    }
}
