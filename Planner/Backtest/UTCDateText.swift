import MarketData
import SigningPolicy

/// Dates as the backtest prints them.
enum UTCDateText {
    /// `2024-07-01`.
    static func day(_ time: Timestamp) -> String { UTCDate.dayString(time) }
}
