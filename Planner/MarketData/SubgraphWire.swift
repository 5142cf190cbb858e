import BigInt
import Foundation

/// The JSON shapes of a GraphQL exchange with a Messari-schema subgraph, and the strict scalar parsers
/// (`BigInt` and `BigDecimal` arrive as strings).
enum SubgraphWire {
    struct Request: Encodable {
        struct Variables: Encodable {
            let market: String
            let after: String
            let through: String?
            let first: Int
        }

        let query: String
        let variables: Variables
    }

    /// Only the `errors` member, so errors are reported even when `data` is absent or malformed.
    struct ErrorsOnly: Decodable {
        struct Message: Decodable { let message: String? }
        let errors: [Message]?
    }

    struct DataOnly: Decodable {
        struct Snapshots: Decodable { let marketHourlySnapshots: [Snapshot] }
        let data: Snapshots
    }

    struct Snapshot: Decodable {
        struct MarketID: Decodable { let id: String }
        struct Rate: Decodable {
            let rate: String
            let side: String
            let type: String
        }

        let id: String
        let market: MarketID
        let timestamp: String
        let blockNumber: String
        let totalValueLockedUSD: String
        let totalDepositBalanceUSD: String
        let totalBorrowBalanceUSD: String
        let hourlyLiquidateUSD: String
        let inputTokenBalance: String
        let inputTokenPriceUSD: String
        /// Nullable in the schema; null means no rates.
        let rates: [Rate]?
    }

    /// A GraphQL `BigInt` that must be a non-negative decimal integer.
    static func bigInt(_ text: String, _ field: String) throws -> BigUInt {
        guard !text.isEmpty, text.count <= 78, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = BigUInt(text, radix: 10)
        else { throw SubgraphError(.malformedResponse, "\(field): \"\(text.prefix(40))\" is not a BigInt") }
        return value
    }

    /// A GraphQL `BigDecimal`: a finite decimal number (optional sign, fraction, exponent); never nan/inf/hex.
    static func bigDecimal(_ text: String, _ field: String) throws -> Double {
        var sawDigit = false
        var valid = !text.isEmpty && text.count <= 200
        var index = text.utf8.startIndex
        let bytes = text.utf8
        func digits() {
            while index < bytes.endIndex, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                sawDigit = true
                index = bytes.index(after: index)
            }
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index = bytes.index(after: index) }
        digits()
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index = bytes.index(after: index)
            digits()
        }
        valid = valid && sawDigit
        if valid, index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index = bytes.index(after: index)
            }
            sawDigit = false
            digits()
            valid = sawDigit
        }
        guard valid, index == bytes.endIndex, let value = Double(text), value.isFinite else {
            throw SubgraphError(.malformedResponse, "\(field): \"\(text.prefix(40))\" is not a BigDecimal")
        }
        return value
    }
}
