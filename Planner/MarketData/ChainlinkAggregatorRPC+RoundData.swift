import BigInt
import Ethereum
import Foundation

extension ChainlinkAggregatorRPC {
    /// The return of `latestRoundData()`: `(uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt,
    /// uint80 answeredInRound)`. `answer` is scaled by the feed's `decimals()`.
    public struct RoundData: Hashable, Sendable {
        public var roundId: BigUInt
        public var answer: BigInt
        /// Unix seconds.
        public var startedAt: BigUInt
        /// Unix seconds; a round older than the feed's heartbeat is stale.
        public var updatedAt: BigUInt
        public var answeredInRound: BigUInt

        public static let abiTypes: [ABIType] = [
            .uint(bits: 80), .int(bits: 256), .uint(bits: 256), .uint(bits: 256), .uint(bits: 80),
        ]

        public init(roundId: BigUInt, answer: BigInt, startedAt: BigUInt, updatedAt: BigUInt,
            answeredInRound: BigUInt)
        {
            self.roundId = roundId
            self.answer = answer
            self.startedAt = startedAt
            self.updatedAt = updatedAt
            self.answeredInRound = answeredInRound
        }

        /// From the decoded outputs, in `abiTypes` order.
        public init(_ values: [ABIValue]) throws {
            guard values.count == 5, case .uint(let roundId) = values[0], case .int(let answer) = values[1],
                case .uint(let startedAt) = values[2], case .uint(let updatedAt) = values[3],
                case .uint(let answeredInRound) = values[4]
            else { throw JSONRPCError(.invalidResult, "latestRoundData() did not return its five fields") }
            self.init(
                roundId: roundId, answer: answer, startedAt: startedAt, updatedAt: updatedAt,
                answeredInRound: answeredInRound)
        }

        public var abiValues: [ABIValue] {
            [.uint(roundId), .int(answer), .uint(startedAt), .uint(updatedAt), .uint(answeredInRound)]
        }

        /// The answer as a number: `answer / 10^decimals`.
        public func price(decimals: UInt8) -> Double {
            let magnitude = Double(answer.magnitude) / pow(10, Double(decimals))
            return answer.sign == .minus ? -magnitude : magnitude
        }
    }
}
