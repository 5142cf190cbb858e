import Risk
import Testing

struct EarlyWarningTests {
    @Test func killSwitchConditionsAreTheSeeds() {
        let condition = KillSwitchCondition()
        #expect(condition.isMet(utilization: 0.96, tvl: 1, tvlDayAgo: 1, lowestStablecoin: 1))
        #expect(!condition.isMet(utilization: 0.94, tvl: 1, tvlDayAgo: 1, lowestStablecoin: 1))
        #expect(condition.isMet(utilization: 0.5, tvl: 1, tvlDayAgo: 1, lowestStablecoin: 0.979))
        #expect(condition.isMet(utilization: 0.5, tvl: 69, tvlDayAgo: 100, lowestStablecoin: 1))
        #expect(!condition.isMet(utilization: 0.5, tvl: 71, tvlDayAgo: 100, lowestStablecoin: nil))
    }

    @Test func classifierSeparatesASeparableProblem() throws {
        let rows: [[Float]] = (0..<200).map { [Float($0 % 50) / 50, Float($0 % 7)] }
        let labels = rows.map { $0[0] > 0.7 }
        let model = try GradientBoostedClassifier(rows: rows, labels: labels, rounds: 20)
        let scores = try model.probabilities(rows)
        #expect(AreaUnderCurve.compute(scores: scores, labels: labels) == 1)
        #expect(scores.allSatisfy { (0...1).contains($0) })
    }
}
