import Foundation

/// Impermanent loss: what a liquidity position is worth against simply holding the tokens deposited, as a
/// fraction (−0.057 = 5.7 % less than holding). Prices are of token0 in token1.
public enum ImpermanentLoss {
    /// A constant-product (Uniswap v2) pool after the price moves by `ratio` (new price / entry price):
    /// `2·√r / (1 + r) − 1`. For 2000 → 3000 this is −2.02 % (the seed §3.4 prints −0.62 %, which its own formula
    /// does not give).
    public static func constantProduct(priceRatio ratio: Double) -> Double {
        precondition(ratio > 0, "a price ratio must be positive")
        return 2 * ratio.squareRoot() / (1 + ratio) - 1
    }

    /// A concentrated (Uniswap v3) position over `[lower, upper]`, opened at `entry` and valued at `current`.
    ///
    /// Holdings per unit of liquidity L = 1 at price P: inside the range x = 1/√P − 1/√pb, y = √P − √pa; below it
    /// all token0 (x = 1/√pa − 1/√pb); above it all token1 (y = √pb − √pa). Loss = V_position(current) /
    /// V_hold(current) − 1, where holding keeps the entry amounts.
    public static func concentrated(entry: Double, current: Double, lower: Double, upper: Double) -> Double {
        precondition(lower > 0 && lower < upper && entry > 0 && current > 0, "need 0 < lower < upper, prices > 0")
        let entryAmounts = amounts(price: entry, lower: lower, upper: upper)
        let currentAmounts = amounts(price: current, lower: lower, upper: upper)
        let position = currentAmounts.x * current + currentAmounts.y
        let hold = entryAmounts.x * current + entryAmounts.y
        return position / hold - 1
    }

    /// Token amounts held per unit of liquidity at `price` in `[lower, upper]`.
    static func amounts(price: Double, lower: Double, upper: Double) -> (x: Double, y: Double) {
        let p = min(max(price, lower), upper).squareRoot()
        let a = lower.squareRoot()
        let b = upper.squareRoot()
        return (1 / p - 1 / b, p - a)
    }
}
