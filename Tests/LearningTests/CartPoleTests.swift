import Learning
import Testing

/// The CartPole-v1 port against gymnasium's equations (values from a direct evaluation of `cartpole.py`'s
/// `step` in double precision) and its episode rules.
@Suite struct CartPoleTests {
    @Test func pushFromRestMatchesGymnasiumEquations() {
        var pole = CartPole()
        _ = pole.reset(to: [0, 0, 0, 0])
        var generator = SeededGenerator(seed: 1)
        let step = pole.step([1], using: &generator)
        // ẍ = 9.7561, θ̈ = −14.6341: after one Euler step ẋ = 0.19512…, θ̇ = −0.29268….
        let expected = [0.0, 0.1951219512195122, 0.0, -0.2926829268292683]
        for i in 0..<4 { #expect(abs(pole.state[i] - expected[i]) < 1e-15) }
        #expect(step.reward == 1 && !step.terminated && !step.truncated)
    }

    @Test func trajectoryMatchesGymnasiumEquations() {
        var pole = CartPole()
        _ = pole.reset(to: [0.01, -0.02, 0.03, 0.04])
        var generator = SeededGenerator(seed: 1)
        for action in [1.0, 0, 0, 1] { _ = pole.step([action], using: &generator) }
        _ = pole.step([1], using: &generator)
        let expected = [0.00791661253107495, 0.17298676004769037, 0.035838631046105324, -0.20574851582677406]
        for i in 0..<4 { #expect(abs(pole.state[i] - expected[i]) < 1e-12) }
        // The observation is the state rounded to float32.
        #expect(pole.observation[1] == Double(Float(expected[1])))
    }

    @Test func alwaysPushingRightFallsOnTheNinthStepWithReward() {
        var pole = CartPole()
        _ = pole.reset(to: [0, 0, 0, 0])
        var generator = SeededGenerator(seed: 1)
        var steps = 0
        var last = EnvironmentStep(observation: [], reward: 0, terminated: false, truncated: false)
        while !last.done {
            last = pole.step([1], using: &generator)
            steps += 1
        }
        #expect(steps == 9)
        #expect(last.terminated && !last.truncated && last.reward == 1)
    }

    @Test func timeLimitTruncatesAtFiveHundredSteps() {
        var pole = CartPole(maxEpisodeSteps: 500)
        _ = pole.reset(to: [0, 0, 0, 0])
        var generator = SeededGenerator(seed: 1)
        var steps = 0
        var last = EnvironmentStep(observation: [], reward: 0, terminated: false, truncated: false)
        // Balancing by pushing against the pole's lean and drift keeps it up (checked by the truncation).
        while !last.done {
            let s = pole.state
            last = pole.step([s[2] + 0.5 * s[3] + 0.01 * s[0] + 0.1 * s[1] > 0 ? 1 : 0], using: &generator)
            steps += 1
        }
        #expect(steps == 500)
        #expect(last.truncated && !last.terminated)
    }

    @Test func resetDrawsEachStateVariableWithinFiveHundredths() {
        var pole = CartPole()
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<200 {
            let observation = pole.reset(using: &generator)
            #expect(observation.allSatisfy { abs($0) <= 0.05 })
        }
    }
}
