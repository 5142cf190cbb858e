import Risk
import Testing

/// Each detector flags an injected 3 % dip in seeded noise and stays quiet on the same noise without it.
struct AnomalyDetectorTests {
    static let scanFrom = RiskFixtures.at(300)

    static func check(_ detector: any AnomalyDetector) {
        let spiked = RiskFixtures.series(spike: -0.03)
        let flags = detector.flags(in: spiked, from: scanFrom)
        #expect(!flags.isEmpty, "\(detector.name) missed the dip")
        #expect(flags.allSatisfy { (450..<453).map(RiskFixtures.at).contains($0.at) }, "\(detector.name)")
        let quiet = RiskFixtures.series()
        #expect(detector.flags(in: quiet, from: scanFrom).isEmpty, "\(detector.name) flagged plain noise")
    }

    @Test func zScoreFlagsInjectedDipAndNotNoise() { Self.check(ZScoreDetector()) }

    @Test func isolationForestFlagsInjectedDipAndNotNoise() { Self.check(IsolationForestDetector()) }

    @Test func autoencoderFlagsInjectedDipAndNotNoise() {
        Self.check(AutoencoderDetector(maximumTrainingRows: 200, epochs: 40))
    }

    @Test func zScoreFloorIgnoresTinyMovesOfAFlatSeries() {
        // σ = 0 over the window: without the 0.1 % floor any tick would be an infinite z.
        let flat = RiskFixtures.series(hours: 200, sigma: 0, spike: 0.002, spikeAt: 180, spikeLength: 1)
        #expect(ZScoreDetector().flags(in: flat, from: RiskFixtures.start).isEmpty)
        let bigger = RiskFixtures.series(hours: 200, sigma: 0, spike: 0.005, spikeAt: 180, spikeLength: 1)
        #expect(ZScoreDetector().flags(in: bigger, from: RiskFixtures.start).map(\.at) == [RiskFixtures.at(180)])
    }

    @Test func isolationForestScoresAnOutlierAboveOrdinaryPoints() {
        let rows = (0..<300).map { [Double($0 % 17) / 17, Double($0 % 13) / 13] }
        let forest = IsolationForest(rows: rows, seed: 3)
        #expect(forest.score([10, 10]) > 0.62)
        #expect(forest.score([10, 10]) > forest.score([0.5, 0.5]) + 0.1)
        #expect(forest.score([0.5, 0.5]) < 0.55)
        #expect(IsolationForest(rows: rows, seed: 3).score([10, 10]) == forest.score([10, 10]))
    }
}
