import Risk
import Testing

struct ImpermanentLossTests {
    @Test func constantProductKnownAnswers() {
        // 2·√1.5 / 2.5 − 1 = −0.0202041 (the seed's 2000 → 3000 example); 2·2/5 − 1 = −0.2; no move, no loss.
        #expect(abs(ImpermanentLoss.constantProduct(priceRatio: 1.5) - -0.020_204_1) < 1e-6)
        #expect(abs(ImpermanentLoss.constantProduct(priceRatio: 4) - -0.2) < 1e-12)
        #expect(abs(ImpermanentLoss.constantProduct(priceRatio: 0.25) - -0.2) < 1e-12)
        #expect(ImpermanentLoss.constantProduct(priceRatio: 1) == 0)
    }

    @Test func concentratedRangeKnownAnswer() {
        // Range [0.9, 1.1], entry 1.0, now 1.05, per unit of liquidity:
        // entry x = 1 − 1/√1.1 = 0.046537, y = 1 − √0.9 = 0.051317 → hold = 0.046537·1.05 + 0.051317 = 0.100181;
        // now x = 1/√1.05 − 1/√1.1 = 0.022437, y = √1.05 − √0.9 = 0.076012 → position = 0.099571;
        // 0.099571 / 0.100181 − 1 = −0.00609.
        let loss = ImpermanentLoss.concentrated(entry: 1, current: 1.05, lower: 0.9, upper: 1.1)
        #expect(abs(loss - -0.006_087) < 5e-6)
    }

    @Test func concentratedRangeIsWorseThanFullRangeAndMatchesItWhenWide() {
        let narrow = ImpermanentLoss.concentrated(entry: 2_000, current: 3_000, lower: 1_500, upper: 2_500)
        #expect(abs(narrow - -0.137_942) < 1e-5)
        #expect(narrow < ImpermanentLoss.constantProduct(priceRatio: 1.5))
        let wide = ImpermanentLoss.concentrated(entry: 1, current: 1.5, lower: 1e-9, upper: 1e9)
        #expect(abs(wide - ImpermanentLoss.constantProduct(priceRatio: 1.5)) < 1e-5)
    }
}
