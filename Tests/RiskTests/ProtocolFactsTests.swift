import Risk
import SigningPolicy
import Testing

struct ProtocolFactsTests {
    static func load() throws -> ProtocolFacts {
        try ProtocolFacts.load(RiskFixtures.packageRoot.appendingPathComponent("Planner/Risk/protocol-facts.json"))
    }

    @Test func factsFileLoadsAndEveryFactHasASourceAndAConfidence() throws {
        let facts = try Self.load()
        #expect(Set(facts.protocols.map(\.id)) == ["aave_v2", "aave_v3", "curve_3pool", "uniswap_v3"])
        for entry in facts.protocols {
            #expect(entry.sources.allSatisfy { $0.count > 10 }, "\(entry.id) has an unsourced fact")
            #expect(entry.confidences.allSatisfy { ["confirmed", "uncertain"].contains($0) }, "\(entry.id)")
        }
    }

    @Test func weightsAreTheSeedsAndSumToOne() {
        let weights = ProtocolRiskScore.factors.map(\.weight)
        #expect(weights == [0.35, 0.25, 0.20, 0.15, 0.05])
        #expect(abs(weights.reduce(0, +) - 1) < 1e-12)
    }

    @Test func scoreIsTheWeightedSumOfSubScores() throws {
        let aave = try #require(try Self.load().protocols.first { $0.id == "aave_v3" })
        let state = ProtocolMarketState(tvlVariation30d: 0.05, utilization: 0.8, availableLiquidityUSD: 1e9,
                                        lowestStablecoinPrice: 0.985)
        let score = ProtocolRiskScore(facts: aave, state: state, asOf: Timestamp(seconds: 1_750_000_000))
        // Contract: 6 audits 10, 2.4 years 10, $1M bounty 35, no loss 10 → 16.25. Economic 5 + 5 + 15 = 25.
        // Peg: 1.5 % off → 70. Liquidity: $1M of $1B → 0. Track record 0.
        #expect(score.factors.map(\.score) == [16.25, 25, 70, 0, 0])
        #expect(abs(score.total - (0.35 * 16.25 + 0.25 * 25 + 0.2 * 70)) < 1e-9)
        #expect(score.tier == "LOW")
    }
}
