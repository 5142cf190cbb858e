import Ethereum

/// Reads an Aave v3 Pool's live reserve state over JSON-RPC (`getReserveData(address)`).
public struct AaveV3PoolRPC: Sendable {
    public static let getReserveDataSignature = "getReserveData(address)"

    public let client: JSONRPCClient
    /// The Pool proxy (0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2 on Ethereum mainnet).
    public let pool: Address

    public init(client: JSONRPCClient, pool: Address) {
        self.client = client
        self.pool = pool
    }

    /// The reserve of `asset` (the underlying token, e.g. USDC) at `block`.
    public func reserveData(asset: Address, block: JSONRPCBlockTag = .latest) async throws -> ReserveData {
        let values = try await client.call(
            pool, signature: Self.getReserveDataSignature, [.address(asset)], returns: ReserveData.abiTypes,
            block: block)
        return try ReserveData(values)
    }
}
