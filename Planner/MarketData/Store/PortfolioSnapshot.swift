import SigningPolicy

/// The portfolio after a rebalance (the seed's `portfolio_snapshots` table).
public struct PortfolioSnapshot: Sendable, Hashable {
    public var timestamp: Timestamp
    public var valueUSD: Double
    /// Weights in basis points by market id (or `reserve`).
    public var allocations: [String: Int]
    public var realizedPnLUSD: Double
    public var unrealizedPnLUSD: Double
    public var totalGasSpentUSD: Double
    public var sharpeRatio: Double?

    public init(timestamp: Timestamp, valueUSD: Double, allocations: [String: Int], realizedPnLUSD: Double,
                unrealizedPnLUSD: Double, totalGasSpentUSD: Double, sharpeRatio: Double?) {
        self.timestamp = timestamp
        self.valueUSD = valueUSD
        self.allocations = allocations
        self.realizedPnLUSD = realizedPnLUSD
        self.unrealizedPnLUSD = unrealizedPnLUSD
        self.totalGasSpentUSD = totalGasSpentUSD
        self.sharpeRatio = sharpeRatio
    }

    /// `allocations` as a JSON object with sorted keys, the way the store keeps it.
    public var allocationsJSON: String {
        "{" + allocations.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\($0.value)" }
            .joined(separator: ",") + "}"
    }

    private func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
