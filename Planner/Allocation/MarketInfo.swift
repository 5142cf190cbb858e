import Ethereum
import SigningPolicy

/// One market a backtest or the live planner can allocate to: the history file's id (`aave_v3_usdc_eth`), its
/// stablecoin, and the policy adapter that holds the position (address and class, which set the slippage cap and
/// the slippage model).
public struct MarketInfo: Sendable, Hashable {
    /// The market id: the file stem of its history file (DESIGN.md, "Machine-readable outputs").
    public var id: String
    /// The stablecoin symbol in lower case (`usdc`); holdings are valued at this coin's price.
    public var token: String
    /// The allowlisted adapter that holds this market's position.
    public var adapter: Address
    public var adapterClass: SigningPolicy.AdapterClass
    /// The adapter's weight bound under the policy (the smaller of its own and the global maximum).
    public var maxWeightBps: Int

    public init(id: String, token: String, adapter: Address, adapterClass: SigningPolicy.AdapterClass,
                maxWeightBps: Int) {
        self.id = id
        self.token = token
        self.adapter = adapter
        self.adapterClass = adapterClass
        self.maxWeightBps = maxWeightBps
    }
}
