/// A stablecoin's peg bands (seed plan §3.1.3): inside `safe` is normal, outside `warning` warns, below
/// `killBelow` (or above `killAbove`) is a kill-switch condition.
public struct PegThreshold: Sendable, Hashable {
    public var safe: ClosedRange<Double>
    public var warning: ClosedRange<Double>
    public var killBelow: Double
    public var killAbove: Double
    /// True when the seed plan gives no row for the coin and the USDC row stands in.
    public var isDefault: Bool

    public init(safe: ClosedRange<Double>, warning: ClosedRange<Double>, killBelow: Double, killAbove: Double,
                isDefault: Bool = false) {
        self.safe = safe
        self.warning = warning
        self.killBelow = killBelow
        self.killAbove = killAbove
        self.isDefault = isDefault
    }

    /// The seed's table. Its kill-switch column gives only the low side; the high side mirrors it around 1.0, as
    /// the seed's on-chain `checkStablecoinPeg` does for USDC (`< 0.98 || > 1.02`).
    public static let seed: [String: PegThreshold] = [
        "USDC": PegThreshold(safe: 0.995...1.005, warning: 0.990...1.010, killBelow: 0.980, killAbove: 1.020),
        "DAI": PegThreshold(safe: 0.995...1.005, warning: 0.990...1.010, killBelow: 0.980, killAbove: 1.020),
        "USDT": PegThreshold(safe: 0.993...1.007, warning: 0.985...1.015, killBelow: 0.975, killAbove: 1.025),
        "FRAX": PegThreshold(safe: 0.990...1.010, warning: 0.985...1.015, killBelow: 0.970, killAbove: 1.030),
    ]

    /// The thresholds for `coin` (case-insensitive); coins the seed does not list (UST, LUSD, USDe) get the USDC
    /// row, marked `isDefault`.
    public static func forCoin(_ coin: String) -> PegThreshold {
        if let known = seed[coin.uppercased()] { return known }
        var fallback = seed["USDC"]!
        fallback.isDefault = true
        return fallback
    }

    /// The severity of `price`: nil inside the warning band, `warning` outside it, `critical` beyond a kill level.
    public func severity(of price: Double) -> AlertSeverity? {
        if price < killBelow || price > killAbove { return .critical }
        if !warning.contains(price) { return .warning }
        return nil
    }
}
