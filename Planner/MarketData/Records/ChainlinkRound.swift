import SigningPolicy

/// One round of a Chainlink aggregator, one row of `chainlink/<feed>.csv`.
public struct ChainlinkRound: CSVRecord, Hashable {
    /// The file stem, for example `usdc_usd_depeg_230312`.
    public var feed: String
    /// The proxy round id as decimal digits (`phaseId << 64 | aggregatorRoundId`, wider than 64 bits).
    public var roundID: String
    /// The answer in the feed's units (8 decimals for USD feeds).
    public var answer: Int64
    public var updatedAt: Timestamp
    public var phaseID: Int64
    public var aggregatorRoundID: Int64

    /// The answer's decimals for USD feeds.
    public static let decimals = 8

    public static let columns = ["roundId", "answer", "updatedAt", "phaseId", "aggregatorRoundId", "dateTimeAt"]

    public init(fields f: [String], stem: String) throws(RowError) {
        self.feed = stem
        self.roundID = try CSVCell.unsignedDigits(f[0], "roundId")
        self.answer = try CSVCell.integer(f[1], "answer")
        self.updatedAt = Timestamp(seconds: try CSVCell.integer(f[2], "updatedAt"))
        self.phaseID = try CSVCell.integer(f[3], "phaseId")
        self.aggregatorRoundID = try CSVCell.integer(f[4], "aggregatorRoundId")
        guard let shown = UTCDate.parseDateTime(f[5]) else {
            throw RowError("dateTimeAt: not YYYY-MM-DD HH:MM:SS: \(CSVCell.quoted(f[5]))")
        }
        guard shown == updatedAt else { throw RowError("dateTimeAt \(f[5]) disagrees with updatedAt \(f[2])") }
    }

    /// The answer as a price (`answer / 10^8`).
    public var price: Double { Double(answer) / 100_000_000 }
}
