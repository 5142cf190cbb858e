/// Gas a rebalance uses: a fixed part (the hub call, the vault's accounting) plus a part per adapter whose
/// position changes. The defaults (150,000 + 60,000 per adapter) are the planning figures of issue 5; the
/// contracts' measured figure replaces them once the contracts exist.
public struct GasModel: Sendable, Hashable {
    public var baseGas: Int
    public var gasPerAdapter: Int

    public init(baseGas: Int = 150_000, gasPerAdapter: Int = 60_000) {
        self.baseGas = baseGas
        self.gasPerAdapter = gasPerAdapter
    }

    public func gasUsed(adaptersTouched: Int) -> Int { baseGas + gasPerAdapter * max(1, adaptersTouched) }
}
