/// The seed's gas optimizer, fee half: EIP-1559 fees chosen from recent base fees, within the policy's caps.
///
/// The estimate of the next base fee is the highest of the recent ones (live: `eth_feeHistory`'s last blocks; in a
/// backtest: the last days of the gas history, whose figure is the average price paid). The tip is
/// `priorityFeeWei` capped by the policy; `maxFeePerGas` is the usual 2 × base + tip (room for the base fee to
/// double), capped. When even base + tip is above the cap no fee is chosen: the transaction could not be included
/// within policy, so the planner waits.
public struct GasFeeChooser: Sendable, Hashable {
    public struct Fees: Sendable, Hashable {
        public var maxFeePerGasWei: Double
        public var maxPriorityFeePerGasWei: Double
        /// What the transaction is expected to pay per gas: base estimate + tip.
        public var expectedPriceWei: Double

        public init(maxFeePerGasWei: Double, maxPriorityFeePerGasWei: Double, expectedPriceWei: Double) {
            self.maxFeePerGasWei = maxFeePerGasWei
            self.maxPriorityFeePerGasWei = maxPriorityFeePerGasWei
            self.expectedPriceWei = expectedPriceWei
        }
    }

    public var priorityFeeWei: Double
    public var maxFeeCapWei: Double
    public var priorityFeeCapWei: Double

    public init(priorityFeeWei: Double = 1e9, maxFeeCapWei: Double, priorityFeeCapWei: Double) {
        self.priorityFeeWei = priorityFeeWei
        self.maxFeeCapWei = maxFeeCapWei
        self.priorityFeeCapWei = priorityFeeCapWei
    }

    /// Fees for the next block given `recentBaseFeesWei` (newest last); nil when they cannot fit the caps.
    public func fees(recentBaseFeesWei: [Double]) -> Fees? {
        guard let base = recentBaseFeesWei.filter({ $0.isFinite && $0 >= 0 }).max() else { return nil }
        let tip = min(priorityFeeWei, priorityFeeCapWei)
        guard base + tip <= maxFeeCapWei else { return nil }
        let maxFee = min(maxFeeCapWei, 2 * base + tip)
        return Fees(maxFeePerGasWei: maxFee.rounded(.down), maxPriorityFeePerGasWei: tip.rounded(.down),
                    expectedPriceWei: base + tip)
    }
}
