import SigningPolicy

/// One USD price observation (CoinGecko), one row of `prices/<SYMBOL>_usd.csv`.
public struct PricePoint: CSVRecord, Hashable {
    /// The symbol from the file stem (`USDC_usd` → `USDC`); the row's own `symbol` must agree.
    public var symbol: String
    /// When the price was observed, in milliseconds since the epoch, as in the file.
    public var milliseconds: Int64
    public var usd: Double

    public static let columns = ["symbol", "timestamp", "USD_price"]

    public init(fields f: [String], stem: String) throws(RowError) {
        let symbol = PricePoint.symbol(fromStem: stem)
        guard f[0] == symbol else { throw RowError("symbol \(CSVCell.quoted(f[0])) is not the file's \(symbol)") }
        self.symbol = symbol
        self.milliseconds = try CSVCell.integer(f[1], "timestamp")
        guard milliseconds >= 0 else { throw RowError("timestamp: negative") }
        self.usd = try CSVCell.nonNegative(f[2], "USD_price")
    }

    /// The observation time, to the second.
    public var at: Timestamp { Timestamp(seconds: milliseconds / 1_000) }

    /// `USDC_usd` → `USDC`.
    public static func symbol(fromStem stem: String) -> String {
        stem.hasSuffix("_usd") ? String(stem.dropLast(4)) : stem
    }
}
