import Allocation
import BigInt
import Foundation
import MarketData
import SigningPolicy

/// Where the gas optimizer's recent base fees come from.
public protocol GasSource: Sendable {
    /// Recent base fees per gas in wei (newest last) and the tip to offer, at the market time of `view`.
    func recentFees(view: MarketView) throws -> (baseFeesWei: [Double], priorityFeeWei: Double, source: String)
}

/// The history: the day's average gas price paid (Etherscan) over the last `lookbackDays` days, as the backtest's
/// simulator reads it, and a 1 gwei tip. For replays and for running without a node.
public struct HistoryGasSource: GasSource {
    public var lookbackDays: Int

    public init(lookbackDays: Int = 3) { self.lookbackDays = lookbackDays }

    public func recentFees(view: MarketView) throws -> (baseFeesWei: [Double], priorityFeeWei: Double, source: String) {
        let panel = view.panel
        let recent = (1...max(1, lookbackDays)).map { panel.gasPriceWei[max(0, view.step - $0 * panel.stepsPerDay)] }
        guard recent.contains(where: { $0 > 0 }) else {
            throw LiveError(.gas, "the data has no gas price before \(view.marketTime.rfc3339)")
        }
        return (recent, 1e9, "history")
    }
}

/// A node's `eth_feeHistory` over the last 20 blocks: their base fees (and the next block's), and the median of
/// the tips paid at the 50th percentile.
public struct FeeHistoryGasSource: GasSource {
    public let client: JSONRPCClient

    public init(client: JSONRPCClient) { self.client = client }

    public func recentFees(view: MarketView) throws -> (baseFeesWei: [Double], priorityFeeWei: Double, source: String) {
        let client = self.client
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                box.set(.success(try await client.feeHistory(blockCount: 20, rewardPercentiles: [50])))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        let history: JSONRPCFeeHistory
        switch box.get() {
        case .success(let value): history = value
        case .failure(let error): throw LiveError(.gas, "eth_feeHistory at \(client.url): \(error)")
        case nil: throw LiveError(.gas, "eth_feeHistory at \(client.url) returned nothing")
        }
        let tips = history.reward.compactMap(\.first).sorted()
        let tip = tips.isEmpty ? 1e9 : Double(tips[tips.count / 2])
        return (history.baseFeePerGas.map { Double($0) }, tip, "eth_feeHistory")
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<JSONRPCFeeHistory, any Error>?
        func set(_ value: Result<JSONRPCFeeHistory, any Error>) { lock.withLock { result = value } }
        func get() -> Result<JSONRPCFeeHistory, any Error>? { lock.withLock { result } }
    }
}
