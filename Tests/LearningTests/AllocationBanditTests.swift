import Learning
import Testing

/// The continuous allocation bandit's closed-form optimum, which the PPO acceptance run is measured against.
@Suite struct AllocationBanditTests {
    @Test func optimumIsTheKnownInteriorAllocation() {
        let bandit = AllocationBandit()
        let w = bandit.optimalWeights
        for (a, b) in zip(w, [0.4, 0.3, 0.2, 0.1]) { #expect(abs(a - b) < 1e-9) }
        #expect(abs(bandit.optimalReward - 3.73) < 1e-9)
        // Equal weights are 5.8 % short of it: a 2 % tolerance can fail.
        let equal = bandit.expectedReward([0.25, 0.25, 0.25, 0.25])
        #expect(abs(equal - 3.5125) < 1e-12)
        #expect((bandit.optimalReward - equal) / bandit.optimalReward > 0.05)
    }

    @Test func optimumBeatsEveryRandomAllocation() {
        let bandit = AllocationBandit()
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let raw = (0..<4).map { _ in generator.nextUniform() }
            let total = raw.reduce(0, +)
            #expect(bandit.expectedReward(raw.map { $0 / total }) <= bandit.optimalReward + 1e-12)
        }
    }

    @Test func waterFillingDropsAnAssetTooPoorToHold() {
        // The fourth asset's yield is below the water level: the optimum gives it nothing.
        let bandit = AllocationBandit(expectedYields: [8.4, 4.4, 2.8, -5], variances: [8, 4, 2, 1])
        let w = bandit.optimalWeights
        #expect(w[3] == 0)
        #expect(abs(w.reduce(0, +) - 1) < 1e-9)
    }
}
