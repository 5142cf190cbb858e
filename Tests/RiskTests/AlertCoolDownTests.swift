import Risk
import Testing

struct AlertCoolDownTests {
    static func flag(_ hour: Int, _ severity: AlertSeverity = .warning, market: String = "m",
                     detector: String = "peg") -> Alert {
        Alert(at: RiskFixtures.at(hour), market: market, detector: detector, severity: severity, message: "h\(hour)")
    }

    @Test func hourlyFlagsOfOneEpisodeBecomeOneAlertWithTheWorstSeverity() {
        let flags = (0..<10).map { Self.flag($0, $0 == 4 ? .critical : .warning) }
        let episodes = AlertCoolDown().episodes(flags)
        #expect(episodes.count == 1)
        #expect(episodes.first?.at == RiskFixtures.at(0) && episodes.first?.until == RiskFixtures.at(9))
        #expect(episodes.first?.severity == .critical && episodes.first?.message == "h4")
        #expect(episodes.first?.flags == 10)
    }

    @Test func flagsAfterTheCoolDownOpenANewEpisode() {
        let episodes = AlertCoolDown().episodes([Self.flag(0), Self.flag(24), Self.flag(49)])
        #expect(episodes.map(\.at) == [RiskFixtures.at(0), RiskFixtures.at(49)])
    }

    @Test func marketsAndDetectorsKeepSeparateEpisodes() {
        let episodes = AlertCoolDown().episodes([
            Self.flag(0), Self.flag(1, market: "other"), Self.flag(2, detector: "zscore"), Self.flag(3),
        ])
        #expect(episodes.count == 3)
    }
}
