#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gymnasium's `CartPole-v1`, ported line for line: Euler integration at τ = 0.02 s, a ±10 N push, failure past
/// ±2.4 m or ±12°, reward 1 per step including the failing one, and the `TimeLimit` wrapper's truncation at 500
/// steps. The benchmark PPO must solve (mean return ≥ 475) before it is trusted with allocations.
///
/// Like gymnasium, the state is kept in double precision and the observation is its float32 rounding.
public struct CartPole: ReinforcementEnvironment, Sendable {
    public static let gravity = 9.8
    public static let cartMass = 1.0
    public static let poleMass = 0.1
    public static let totalMass = poleMass + cartMass
    /// Half the pole's length, as gymnasium names it `length`.
    public static let halfPoleLength = 0.5
    public static let poleMassLength = poleMass * halfPoleLength
    public static let forceMagnitude = 10.0
    public static let tau = 0.02
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    public static let xThreshold = 2.4

    /// Steps before the time limit truncates an episode (500 for v1).
    public let maxEpisodeSteps: Int
    /// x, ẋ, θ, θ̇.
    public private(set) var state: [Double] = [0, 0, 0, 0]
    public private(set) var elapsedSteps = 0

    public init(maxEpisodeSteps: Int = 500) {
        precondition(maxEpisodeSteps > 0, "maxEpisodeSteps must be positive")
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public var observationSize: Int { 4 }
    public var actionSpace: ActionSpace { .discrete(count: 2) }

    /// Each state variable uniform in [−0.05, 0.05).
    public mutating func reset(using generator: inout SeededGenerator) -> [Double] {
        state = (0..<4).map { _ in -0.05 + 0.1 * generator.nextUniform() }
        elapsedSteps = 0
        return observation
    }

    /// Starts from a given state (for checking the dynamics against gymnasium's numbers).
    public mutating func reset(to state: [Double]) -> [Double] {
        precondition(state.count == 4, "CartPole state has 4 entries")
        self.state = state
        elapsedSteps = 0
        return observation
    }

    public mutating func step(_ action: [Double], using generator: inout SeededGenerator) -> EnvironmentStep {
        precondition(action.count == 1 && (action[0] == 0 || action[0] == 1), "CartPole action is 0 or 1")
        var x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3]
        let force = action[0] == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta)
        let sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * thetaDot * thetaDot * sinTheta) / Self.totalMass
        let thetaAcc = (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.halfPoleLength * (4.0 / 3.0 - Self.poleMass * cosTheta * cosTheta / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        x += Self.tau * xDot
        xDot += Self.tau * xAcc
        theta += Self.tau * thetaDot
        thetaDot += Self.tau * thetaAcc
        state = [x, xDot, theta, thetaDot]
        elapsedSteps += 1
        let terminated = x < -Self.xThreshold || x > Self.xThreshold
            || theta < -Self.thetaThreshold || theta > Self.thetaThreshold
        let truncated = !terminated && elapsedSteps >= maxEpisodeSteps
        return EnvironmentStep(observation: observation, reward: 1, terminated: terminated, truncated: truncated)
    }

    /// The state rounded to float32, as gymnasium returns it.
    public var observation: [Double] { state.map { Double(Float($0)) } }
}
