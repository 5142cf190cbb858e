import Foundation
import Learning
import Testing

/// SB3's MlpPolicy shape and initialisation, saving and loading, and PPO's handling of time-limit truncation.
@Suite struct ActorCriticTests {
    private func columnNorms(_ m: Matrix) -> [Double] {
        (0..<m.columns).map { c in (0..<m.rows).reduce(0) { $0 + m[$1, c] * m[$1, c] }.squareRoot() }
    }

    @Test func orthogonalInitialisationUsesSB3Gains() {
        var generator = SeededGenerator(seed: 5)
        let model = ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2), generator: &generator)
        let weights = model.parameters.filter { $0.name.hasSuffix(".weight") }
        #expect(weights.map(\.name) == ["policy.0.weight", "policy.1.weight", "policy.head.weight",
                                        "value.0.weight", "value.1.weight", "value.head.weight"])
        // 4×64 has orthonormal rows (scaled by √2); 64×64 and the heads (64×2, 64×1) orthonormal columns.
        let first = weights[0].value
        for r in 0..<first.rows {
            let norm = (0..<first.columns).reduce(0) { $0 + first[r, $1] * first[r, $1] }.squareRoot()
            #expect(abs(norm - 2.0.squareRoot()) < 1e-9)
        }
        for norm in columnNorms(weights[1].value) { #expect(abs(norm - 2.0.squareRoot()) < 1e-9) }
        for norm in columnNorms(weights[2].value) { #expect(abs(norm - 0.01) < 1e-12) }
        for norm in columnNorms(weights[5].value) { #expect(abs(norm - 1) < 1e-9) }
        #expect(model.parameters.filter { $0.name.hasSuffix(".bias") }.allSatisfy { $0.value.maxAbsolute() == 0 })
    }

    @Test func gaussianPolicyStartsWithUnitStandardDeviation() {
        var generator = SeededGenerator(seed: 5)
        let model = ActorCritic(observationSize: 1, actionSpace: .box(low: [-1, -1], high: [1, 1]),
                                generator: &generator)
        #expect(model.logStd.value == Matrix(rows: 1, columns: 2))
        #expect(model.parameters.last?.name == "log_std")
    }

    @Test func snapshotRoundTripsThroughJSON() throws {
        var generator = SeededGenerator(seed: 6)
        let model = ActorCritic(observationSize: 3, actionSpace: .box(low: [-1], high: [1]), hiddenSizes: [5, 4],
                                generator: &generator)
        model.logStd.value.values[0] = -0.375
        let data = try JSONEncoder().encode(ActorCriticSnapshot(model))
        let loaded = try #require(try JSONDecoder().decode(ActorCriticSnapshot.self, from: data).model())
        #expect(loaded.parameters.map(\.value) == model.parameters.map(\.value))
        #expect(loaded.deterministicAction([0.1, -0.2, 0.3]) == model.deterministicAction([0.1, -0.2, 0.3]))
    }

    @Test func snapshotWithMisshapenTensorIsRefused() {
        var generator = SeededGenerator(seed: 6)
        let model = ActorCritic(observationSize: 3, actionSpace: .discrete(count: 2), generator: &generator)
        var snapshot = ActorCriticSnapshot(model)
        snapshot.tensors[0].values.removeLast()
        #expect(snapshot.model() == nil)
    }

    /// An environment that never fails and is cut off after 3 steps, rewarding 1 per step.
    private struct ThreeStepLimit: ReinforcementEnvironment {
        var t = 0
        var observationSize: Int { 1 }
        var actionSpace: ActionSpace { .discrete(count: 2) }
        mutating func reset(using generator: inout SeededGenerator) -> [Double] {
            t = 0
            return [0]
        }
        mutating func step(_ action: [Double], using generator: inout SeededGenerator) -> EnvironmentStep {
            t += 1
            return EnvironmentStep(observation: [Double(t)], reward: 1, terminated: false, truncated: t == 3)
        }
    }

    @Test func truncationBootstrapsTheFinalObservationsValue() {
        var configuration = PPOConfiguration()
        configuration.stepsPerRollout = 6
        let ppo = PPO(environment: ThreeStepLimit(), configuration: configuration, seed: 8)
        ppo.collectRollout()
        let rewards = ppo.rollout.rewards
        // Steps 3 and 6 were truncated: 1 + γ·V(observation 3); the others plain 1.
        let bootstrapped = 1 + 0.99 * ppo.model.value(of: [3])
        #expect(rewards[0] == 1 && rewards[1] == 1 && rewards[3] == 1)
        #expect(abs(rewards[2] - bootstrapped) < 1e-12 && abs(rewards[5] - bootstrapped) < 1e-12)
        #expect(ppo.rollout.episodeStarts == [true, false, false, true, false, false])
        #expect(ppo.episodeReturns == [3, 3])
    }
}
