import Ethereum

/// Which policy adapter holds which market: the mapping the backtest (and the live planner) needs from a history
/// file's market id to an allowlisted adapter.
///
/// Adapter addresses follow `policy/demo.toml`'s scheme for made-up demo addresses: the last 20 bytes of
/// keccak256("rebalancer-demo/<slug>"), where the slug is the market id without its chain suffix and with dashes
/// (`aave_v3_usdc_eth` → `aave-v3-usdc`, the demo policy's "Aave V3 USDC"). `policy/backtest.toml` allowlists
/// the Aave stablecoin markets of the data under these addresses; a market whose address a policy does not
/// allowlist is left out of that policy's backtest.
public enum MarketAdapters {
    /// `aave_v3_usdc_eth` → `aave-v3-usdc`.
    public static func slug(forMarket id: String) -> String {
        var parts = id.split(separator: "_").map(String.init)
        if parts.count > 1, parts.last == "eth" { parts.removeLast() }
        return parts.joined(separator: "-")
    }

    /// The adapter address of market `id`.
    public static func address(forMarket id: String) -> Address {
        let hash = Keccak256.hash(Array("rebalancer-demo/\(slug(forMarket: id))".utf8))
        // 20 bytes from a 32-byte hash: `init(bytes:)` cannot fail here.
        return try! Address(bytes: Array(hash.suffix(20)))
    }
}
