import Risk

/// The knobs of a backtest that are not in the policy: starting capital, the gas and slippage models, the tip the
/// gas optimizer offers, and the risk engine's kill-switch guard (nil: never engage it, as the baselines do).
public struct SimulatorConfiguration: Sendable {
    public var capitalUSD: Double
    public var gas: GasModel
    public var slippage: SlippageModel
    public var priorityFeeWei: Double
    /// Days of gas history the fee chooser looks back over.
    public var gasLookbackDays: Int
    public var killSwitch: KillSwitchGuard?

    public init(capitalUSD: Double = 1_000_000, gas: GasModel = GasModel(), slippage: SlippageModel = SlippageModel(),
                priorityFeeWei: Double = 1e9, gasLookbackDays: Int = 3, killSwitch: KillSwitchGuard? = nil) {
        self.capitalUSD = capitalUSD
        self.gas = gas
        self.slippage = slippage
        self.priorityFeeWei = priorityFeeWei
        self.gasLookbackDays = gasLookbackDays
        self.killSwitch = killSwitch
    }
}
