import SigningPolicy

/// One day of an Etherscan daily chart export (`gas/AvgGasPrice.csv`, `gas/GasUsed.csv`, `gas/GasLimit.csv`,
/// `compound/etherscan_*.csv`): `"Date(UTC)","UnixTimeStamp","Value…"`.
public struct EtherscanDailyValue: CSVRecord, Hashable {
    /// The file stem, for example `AvgGasPrice`.
    public var series: String
    /// The start of the UTC day.
    public var day: Timestamp
    /// The value (wei for gas prices, gas units for used and limit, USD for the ether price).
    public var value: Double

    public static let columns = ["Date(UTC)", "UnixTimeStamp", "Value"]

    /// The third column is `Value` or `Value (Wei)` depending on the chart.
    public static func accepts(header: [String]) -> Bool {
        header.count == 3 && header[0] == "Date(UTC)" && header[1] == "UnixTimeStamp" && header[2].hasPrefix("Value")
    }

    public init(fields f: [String], stem: String) throws(RowError) {
        guard let day = UTCDate.parseUSDate(f[0]) else {
            throw RowError("Date(UTC): not M/D/YYYY: \(CSVCell.quoted(f[0]))")
        }
        let unix = try CSVCell.integer(f[1], "UnixTimeStamp")
        guard unix == day.seconds else { throw RowError("UnixTimeStamp \(f[1]) is not the start of \(f[0])") }
        self.series = stem
        self.day = day
        self.value = try CSVCell.nonNegative(f[2], "Value")
    }
}
