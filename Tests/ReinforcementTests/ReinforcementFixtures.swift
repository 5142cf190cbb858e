import Allocation
import Backtest
import Foundation
import Learning
import MarketData
import SigningPolicy

/// The committed policy and the committed daily extract, for the allocator's tests.
enum ReinforcementFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func policy() throws -> SigningPolicy {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("policy/backtest.toml"), encoding: .utf8)
        return try SigningPolicy.load(toml: text)
    }

    /// The daily panel of the committed extract between two days.
    static func history(_ from: String, _ to: String) throws -> MarketPanel {
        let directory = HistoryDirectory(root: packageRoot.appendingPathComponent("Planner/history"))
        return try MarketPanelLoader(directory: directory).load(
            policy: try policy(), from: UTCDate.parseISODate(from), to: UTCDate.parseISODate(to), step: .day).panel
    }

    /// A random action in [−1.5, 1.5]ⁿ (beyond the box, to exercise clipping).
    static func randomAction(_ size: Int, _ generator: inout SeededGenerator) -> [Double] {
        (0..<size).map { _ in 3 * generator.nextUniform() - 1.5 }
    }
}
