import SigningPolicy

/// One day of Ethereum gas: the average price paid (base fee + tip, in wei), gas used and the gas limit,
/// joined from the three `gas/` series.
public struct GasDay: Sendable, Hashable {
    public var day: Timestamp
    public var averageGasPriceWei: Double
    public var gasUsed: Double?
    public var gasLimit: Double?

    public init(day: Timestamp, averageGasPriceWei: Double, gasUsed: Double? = nil, gasLimit: Double? = nil) {
        self.day = day
        self.averageGasPriceWei = averageGasPriceWei
        self.gasUsed = gasUsed
        self.gasLimit = gasLimit
    }

    /// Joins `AvgGasPrice`, `GasUsed` and `GasLimit` values by day; a day without a price is left out.
    /// The result is in day order.
    public static func join(_ values: [EtherscanDailyValue]) -> [GasDay] {
        var days: [Timestamp: GasDay] = [:]
        for value in values where value.series == "AvgGasPrice" {
            days[value.day] = GasDay(day: value.day, averageGasPriceWei: value.value)
        }
        for value in values {
            switch value.series {
            case "GasUsed": days[value.day]?.gasUsed = value.value
            case "GasLimit": days[value.day]?.gasLimit = value.value
            default: break
            }
        }
        return days.values.sorted { $0.day < $1.day }
    }
}
