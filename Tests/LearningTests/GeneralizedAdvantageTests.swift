import Learning
import Testing

/// GAE(λ) and λ-returns as Stable-Baselines3 computes them, checked against a hand-worked rollout.
@Suite struct GeneralizedAdvantageTests {
    @Test func advantagesMatchHandComputedRolloutWithEpisodeBoundary() {
        // Three steps; the third begins a new episode, so the second step's episode ended there.
        var buffer = RolloutBuffer(capacity: 3, observationSize: 1, actionSize: 1)
        let values = [0.5, 0.4, 0.3]
        let starts = [true, false, true]
        for t in 0..<3 {
            buffer.add(observation: [0], action: [0], reward: 1, episodeStart: starts[t], value: values[t],
                       logProbability: 0)
        }
        buffer.computeReturnsAndAdvantages(lastValue: 0.2, lastDone: false, gamma: 0.9, lambda: 0.8)
        // δ2 = 1 + 0.9·0.2 − 0.3 = 0.88; δ1 = 1 − 0.4 = 0.6 (episode ended); δ0 = 1 + 0.9·0.4 − 0.5 = 0.86,
        // A0 = 0.86 + 0.9·0.8·0.6 = 1.292.
        let expected = [1.292, 0.6, 0.88]
        for t in 0..<3 {
            #expect(abs(buffer.advantages[t] - expected[t]) < 1e-12)
            #expect(abs(buffer.returns[t] - (expected[t] + values[t])) < 1e-12)
        }
    }

    @Test func lastDoneStopsBootstrapFromFinalValue() {
        var buffer = RolloutBuffer(capacity: 1, observationSize: 1, actionSize: 1)
        buffer.add(observation: [0], action: [0], reward: 2, episodeStart: true, value: 0.5, logProbability: 0)
        buffer.computeReturnsAndAdvantages(lastValue: 10, lastDone: true, gamma: 0.99, lambda: 0.95)
        #expect(buffer.advantages[0] == 1.5)
        buffer.computeReturnsAndAdvantages(lastValue: 10, lastDone: false, gamma: 0.99, lambda: 0.95)
        #expect(abs(buffer.advantages[0] - (2 + 9.9 - 0.5)) < 1e-12)
    }

    @Test func advantageNormalisationUsesSampleStandardDeviation() {
        let normalized = PPOLoss.normalized([1, 2, 3, 4])
        // mean 2.5, sample std √(5/3).
        let std = (5.0 / 3).squareRoot()
        #expect(abs(normalized[0] - (-1.5 / (std + 1e-8))) < 1e-12)
        #expect(abs(normalized.reduce(0, +)) < 1e-12)
    }
}
