import SigningPolicy

/// One day of a Compound v2 market's totals (no rates), one row of `compound/compound_<SYMBOL>.csv`.
public struct CompoundMarketDay: CSVRecord, Hashable {
    /// The cToken's underlying symbol (`ctoken_symbol`), for example `USDC`.
    public var symbol: String
    public var day: Timestamp
    public var totalSupply: Double
    public var totalBorrow: Double

    /// The first column is pandas' unnamed index.
    public static let columns = ["", "ctoken_symbol", "date", "total_supply", "total_borrow"]

    public init(fields f: [String], stem: String) throws(RowError) {
        _ = try CSVCell.integer(f[0], "index")
        self.symbol = try CSVCell.text(f[1], "ctoken_symbol")
        guard stem == "compound_\(symbol)" else {
            throw RowError("ctoken_symbol \(CSVCell.quoted(f[1])) is not the file's")
        }
        guard let day = UTCDate.parseISODate(f[2]) else {
            throw RowError("date: not YYYY-MM-DD: \(CSVCell.quoted(f[2]))")
        }
        self.day = day
        self.totalSupply = try CSVCell.nonNegative(f[3], "total_supply")
        self.totalBorrow = try CSVCell.nonNegative(f[4], "total_borrow")
    }
}
