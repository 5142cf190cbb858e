import Reinforcement
import Testing

/// The seed's reward terms, each on a hand-worked step, and the weighted sum.
@Suite struct AllocationRewardTests {
    private let facts = AllocationReward.StepFacts(
        valueBeforeUSD: 1_000_000, valueAfterUSD: 1_000_200, gasUSD: 50, impermanentLossUSD: 0, maxRiskScore: 30,
        weightsAfter: [0.5, 0.45, 0.05], daysSinceLastRebalance: 4, sharpeBefore: 2.0, sharpeAfter: 2.1,
        killSwitchEngaged: false, liquidityCoverage: 3)

    @Test func termsFollowTheSeedFormula() {
        let t = AllocationReward.terms(facts)
        #expect(abs(t.yield - 0.2) < 1e-12)                                   // 200 / 1e6 × 1000
        #expect(abs(t.risk - (-3 - 0.455 * 50)) < 1e-9)                        // −30·0.1 − HHI·50
        #expect(abs(t.gas - (-0.5)) < 1e-12)                                   // −50 / 1e6 × 10000
        #expect(t.impermanentLoss == 0)
        #expect(t.stability == 10)
        #expect(abs(t.sharpe - 10) < 1e-9)                                     // 0.1 × 100
        #expect(t.killSwitch == 0)
        #expect(t.liquidity == 5)
    }

    @Test func seedWeightsGiveTheSeedsWeightedSum() {
        let t = AllocationReward.terms(facts)
        let expected = 0.2 * 1 + (-3 - 22.75) * 0.3 + (-0.5) * 0.2 + 0 * 0.15 + 10 * 0.1 + 10 * 0.15 + 0 + 5 * 0.1
        #expect(abs(t.total(.seed) - expected) < 1e-9)
    }

    @Test func killSwitchRecentRebalanceAndThinLiquidityChangeTheirTerms() {
        var f = facts
        f.killSwitchEngaged = true
        f.daysSinceLastRebalance = 1
        f.liquidityCoverage = 1.2
        let t = AllocationReward.terms(f)
        #expect(t.killSwitch == -1000 && t.stability == 0 && t.liquidity == 0)
    }

    @Test func curriculumStagesSwitchOffTheirTerms() {
        let first = CurriculumStage.seed(1).rewardWeights(.seed)
        #expect(first.gas == 0 && first.risk == 0 && first.killSwitch == 0 && first.yield == 1)
        let second = CurriculumStage.seed(2).rewardWeights(.seed)
        #expect(second.gas == 0.2 && second.risk == 0)
        #expect(CurriculumStage.seed(4).rewardWeights(.seed) == .seed)
        #expect(CurriculumStage.seed(1).markets == CurriculumStage.firstMarkets)
        #expect(CurriculumStage.seed(4).markets == nil)
    }

    @Test func sharpeOfConstantReturnsIsZeroAndOfVaryingOnesIsAnnualised() {
        #expect(AllocationReward.sharpe([0.001, 0.001, 0.001], periodsPerYear: 365) == 0)
        let s = AllocationReward.sharpe([0.001, 0.003], periodsPerYear: 365)
        // mean 0.002, sample std √2·0.001.
        #expect(abs(s - 0.002 / (2.0.squareRoot() * 0.001) * 365.0.squareRoot()) < 1e-9)
    }
}
