import Risk
import Testing

struct PegMonitorTests {
    @Test func dipBelowKillLevelIsCriticalAndWiggleInsideWarningBandIsQuiet() {
        let dip = RiskFixtures.series(hours: 50, spike: -0.03, spikeAt: 30)
        let flags = PegMonitor().flags(in: dip, from: RiskFixtures.start)
        #expect(flags.map(\.at) == [30, 31, 32].map(RiskFixtures.at))
        #expect(flags.allSatisfy { $0.severity == .critical && $0.detector == "peg" })

        let wiggle = RiskFixtures.series(hours: 50, spike: -0.008, spikeAt: 30)
        #expect(PegMonitor().flags(in: wiggle, from: RiskFixtures.start).isEmpty)
    }

    @Test func dipBetweenWarningAndKillLevelsIsAWarning() {
        let dip = RiskFixtures.series(hours: 50, spike: -0.015, spikeAt: 30, spikeLength: 1)
        let flags = PegMonitor().flags(in: dip, from: RiskFixtures.start)
        #expect(flags.count == 1 && flags.first?.severity == .warning)
    }

    @Test func seedThresholdsPerCoinAndUSDCDefaultForUnlistedCoins() {
        #expect(PegThreshold.forCoin("USDT").killBelow == 0.975)
        #expect(PegThreshold.forCoin("FRAX").killBelow == 0.970)
        #expect(PegThreshold.forCoin("dai").killBelow == 0.980 && !PegThreshold.forCoin("DAI").isDefault)
        #expect(PegThreshold.forCoin("UST").isDefault && PegThreshold.forCoin("UST").killBelow == 0.980)
        // 0.978 is a kill-switch price for USDC but only a warning for USDT.
        #expect(PegThreshold.forCoin("USDC").severity(of: 0.978) == .critical)
        #expect(PegThreshold.forCoin("USDT").severity(of: 0.978) == .warning)
        #expect(PegThreshold.forCoin("USDT").severity(of: 0.99) == nil)
    }
}
