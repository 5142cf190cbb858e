import Allocation

/// The seed's training curriculum (§2.2.4): what the environment includes at each stage.
///
/// 1: two markets, no gas, yield only. 2: gas costs added (price and penalty). 3: risk added (the risk and
/// kill-switch terms, the kill-switch guard, real de-peg shocks). 4: every market, every term.
public struct CurriculumStage: Sendable, Equatable {
    public var number: Int
    /// Market ids the stage allows (nil: all).
    public var markets: Set<String>?
    public var gas: Bool
    public var risk: Bool

    public init(number: Int, markets: Set<String>?, gas: Bool, risk: Bool) {
        self.number = number
        self.markets = markets
        self.gas = gas
        self.risk = risk
    }

    /// The two markets of the first stages: Aave v3 USDC and USDT (the deepest, and both have a de-peg on record).
    public static let firstMarkets: Set<String> = ["aave_v3_usdc_eth", "aave_v3_usdt_eth"]

    /// Stage 1…4 of the seed's curriculum.
    public static func seed(_ number: Int) -> CurriculumStage {
        switch number {
        case 1: return CurriculumStage(number: 1, markets: firstMarkets, gas: false, risk: false)
        case 2: return CurriculumStage(number: 2, markets: firstMarkets, gas: true, risk: false)
        case 3: return CurriculumStage(number: 3, markets: firstMarkets, gas: true, risk: true)
        default: return CurriculumStage(number: 4, markets: nil, gas: true, risk: true)
        }
    }

    /// Which of `markets` the stage allows.
    public func enabled(_ markets: [MarketInfo]) -> [Bool] {
        markets.map { self.markets?.contains($0.id) ?? true }
    }

    /// The reward weights of the stage: `weights` with the terms the stage leaves out set to zero.
    public func rewardWeights(_ weights: AllocationReward.Weights) -> AllocationReward.Weights {
        var w = weights
        if !gas { w.gas = 0 }
        if !risk {
            w.risk = 0
            w.killSwitch = 0
        }
        return w
    }
}
