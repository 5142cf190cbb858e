/// Baseline: keep everything in the reserve (earns nothing, pays nothing): the floor any strategy must clear.
public struct AllReserveStrategy: AllocationStrategy {
    public let name = "all_reserve"
    public let kind = StrategyKind.baseline
    public init() {}
    public mutating func decide(_ context: AllocationContext) -> AllocationDecision { .hold }
}
