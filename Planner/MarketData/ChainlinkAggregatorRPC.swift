import BigInt
import Ethereum

/// Reads a Chainlink price feed (an aggregator proxy such as USDC/USD) over JSON-RPC.
public struct ChainlinkAggregatorRPC: Sendable {
    public static let latestRoundDataSignature = "latestRoundData()"
    public static let decimalsSignature = "decimals()"

    public let client: JSONRPCClient
    /// The aggregator proxy (USDC/USD on Ethereum mainnet: 0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6).
    public let aggregator: Address

    public init(client: JSONRPCClient, aggregator: Address) {
        self.client = client
        self.aggregator = aggregator
    }

    /// `latestRoundData()`: the latest answer and its round.
    public func latestRoundData(block: JSONRPCBlockTag = .latest) async throws -> RoundData {
        try RoundData(
            try await client.call(
                aggregator, signature: Self.latestRoundDataSignature, [], returns: RoundData.abiTypes, block: block))
    }

    /// `decimals()`: how many decimals the answers have (8 for USD feeds).
    public func decimals(block: JSONRPCBlockTag = .latest) async throws -> UInt8 {
        let values = try await client.call(
            aggregator, signature: Self.decimalsSignature, [], returns: [.uint(bits: 8)], block: block)
        guard case .uint(let value) = values.first else {
            throw JSONRPCError(.invalidResult, "decimals() did not return a uint8")
        }
        return UInt8(value)
    }
}
