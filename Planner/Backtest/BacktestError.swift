/// Why a backtest could not run, with a stable code and a hint for the command line.
public struct BacktestError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case noMarkets = "NO_MARKETS"
        case noGasPrices = "NO_GAS_PRICES"
        case noETHPrice = "NO_ETH_PRICE"
        case emptyRange = "EMPTY_RANGE"
    }

    public var code: Code
    public var message: String
    public var hint: String

    public init(_ code: Code, _ message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
