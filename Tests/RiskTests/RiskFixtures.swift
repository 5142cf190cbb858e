import Foundation
import Learning
import Risk
import SigningPolicy

/// Synthetic series and paths shared by the Risk tests.
enum RiskFixtures {
    static let start = Timestamp(seconds: 1_672_531_200)  // 2023-01-01T00:00:00Z

    /// `hours` hourly USDC prices around 1.0 with seeded Gaussian noise of `sigma`, and `spike` added from
    /// `spikeAt` for `spikeLength` hours.
    static func series(hours: Int = 500, sigma: Double = 0.0003, spike: Double = 0, spikeAt: Int = 450,
                       spikeLength: Int = 3, seed: UInt64 = 42) -> PriceSeries {
        var generator = SeededGenerator(seed: seed)
        let points = (0..<hours).map { hour in
            var value = 1 + sigma * generator.nextNormal()
            if (spikeAt..<spikeAt + spikeLength).contains(hour) { value += spike }
            return SeriesPoint(at: at(hour), value: value)
        }
        return PriceSeries(market: "synthetic_usdc", coin: "USDC", source: .coingecko, points: points)
    }

    static func at(_ hour: Int) -> Timestamp { Timestamp(seconds: start.seconds + Int64(hour) * 3_600) }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
