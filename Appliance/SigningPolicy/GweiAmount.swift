import BigInt

/// An exact amount of gas price written in gwei as a decimal string (`"150"`, `"1.5"`, `"0.000000001"`).
///
/// Policies state fee caps in gwei because people read them that way; transactions carry wei. The conversion is
/// exact: at most 9 fractional digits (1 wei), no exponent, no sign, no separators.
public struct GweiAmount: Hashable, Sendable, CustomStringConvertible {
    /// The amount in wei.
    public var wei: BigUInt

    public init(wei: BigUInt) { self.wei = wei }

    /// Parses `digits[.digits]` with 1–30 integer digits and 1–9 fractional digits.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard (1...30).contains(whole.utf8.count), whole.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        if parts.count == 2 {
            guard (1...9).contains(fraction.utf8.count), fraction.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                return nil
            }
        }
        guard let wholeValue = BigUInt(String(whole), radix: 10) else { return nil }
        let padded = String(fraction) + String(repeating: "0", count: 9 - fraction.utf8.count)
        guard let fractionValue = BigUInt(padded, radix: 10) else { return nil }
        self.wei = wholeValue * BigUInt(1_000_000_000) + fractionValue
    }

    /// Gwei as a decimal string, trailing fractional zeros removed.
    public var description: String {
        let (whole, fraction) = wei.quotientAndRemainder(dividingBy: BigUInt(1_000_000_000))
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 9 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
