import Backtest
import Foundation
import MarketData
import Risk
import SigningPolicy

/// Everything a live loop needs that does not change between cycles.
public struct LiveConfiguration: Sendable {
    /// The appliance's Unix socket.
    public var socketPath: String
    /// The history directory (`Planner/history` or one laid out like `../shared/data`).
    public var dataDirectory: HistoryDirectory
    /// The protocol facts for the risk score.
    public var facts: ProtocolFacts
    /// The policy the appliance runs (checked against its `status` by SHA-256).
    public var policy: SigningPolicy
    public var policySHA256: String
    /// Replay: the market time of the first cycle (later cycles advance with the real clock). Nil: live, the
    /// last hour of the data.
    public var replayFrom: Timestamp?
    /// The capital the weights apply to, in USD (turns gas into bps).
    public var capitalUSD: Double
    /// Where the planner keeps its state (`planner.sqlite`) and its copies of approved bundles.
    public var stateDirectory: String
    public var backoff: BackoffPolicy
    /// Gas a rebalance uses by adapters touched (the backtest's model, so live claims match backtested ones).
    public var gasModel: GasModel
    /// Slippage by adapter class and trade size (the backtest's model), for the optimizer's cost of a move.
    public var slippage: SlippageModel
    /// Time allowed for each appliance request, in milliseconds.
    public var timeoutMilliseconds: Int32

    public init(socketPath: String, dataDirectory: HistoryDirectory, facts: ProtocolFacts, policy: SigningPolicy,
                policySHA256: String, replayFrom: Timestamp?, capitalUSD: Double, stateDirectory: String,
                backoff: BackoffPolicy = BackoffPolicy(), gasModel: GasModel = GasModel(),
                slippage: SlippageModel = SlippageModel(),
                timeoutMilliseconds: Int32 = 30_000) {
        self.socketPath = socketPath
        self.dataDirectory = dataDirectory
        self.facts = facts
        self.policy = policy
        self.policySHA256 = policySHA256
        self.replayFrom = replayFrom
        self.capitalUSD = capitalUSD
        self.stateDirectory = stateDirectory
        self.backoff = backoff
        self.gasModel = gasModel
        self.slippage = slippage
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}
