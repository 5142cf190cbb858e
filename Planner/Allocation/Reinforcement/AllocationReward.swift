/// The seed's reward (§2.2.1, `calculate_reward`), term for term, with configurable weights.
///
/// Terms, each as the seed scales it: yield = Δvalue/value × 1000; risk = −0.1 × the highest risk score held
/// − 50 × the Herfindahl index of the allocation; gas = −gas/value × 10000; impermanent loss = −IL/value × 1000
/// (always 0 here: every market is a lending market); stability = 10 when the last rebalance is 3 days or more
/// ago; Sharpe = 100 × the change of the 30-step Sharpe ratio; kill switch = −1000 while it is engaged;
/// liquidity = 5 when the markets' free liquidity covers every position 1.5 times.
public struct AllocationReward: Sendable, Equatable {
    /// The weights of the weighted sum.
    public struct Weights: Sendable, Equatable, Codable {
        public var yield: Double
        public var risk: Double
        public var gas: Double
        public var impermanentLoss: Double
        public var stability: Double
        public var sharpe: Double
        public var killSwitch: Double
        public var liquidity: Double

        public init(yield: Double, risk: Double, gas: Double, impermanentLoss: Double, stability: Double,
                    sharpe: Double, killSwitch: Double, liquidity: Double) {
            self.yield = yield
            self.risk = risk
            self.gas = gas
            self.impermanentLoss = impermanentLoss
            self.stability = stability
            self.sharpe = sharpe
            self.killSwitch = killSwitch
            self.liquidity = liquidity
        }

        /// The seed's weights: 1.0, 0.3, 0.2, 0.15, 0.1, 0.15, 1.0, 0.1.
        public static let seed = Weights(yield: 1, risk: 0.3, gas: 0.2, impermanentLoss: 0.15, stability: 0.1,
                                         sharpe: 0.15, killSwitch: 1, liquidity: 0.1)

        /// The weights the committed allocator was trained with. At daily steps the seed's constant terms swamp
        /// the yield term (a day's yield × 1000 is about 0.1; the seed's concentration penalty alone is about 5
        /// and its stability bonus 1, so an agent that never invests scores best): the risk, stability,
        /// kill-switch and liquidity weights are scaled down 100 to 1000 times, the Sharpe term (noisy over 30
        /// daily returns of a near-constant yield) is off.
        public static let training = Weights(yield: 1, risk: 0.003, gas: 0.2, impermanentLoss: 0.15,
                                             stability: 0.001, sharpe: 0, killSwitch: 0.001, liquidity: 0.001)
    }

    /// The unweighted terms of one step.
    public struct Terms: Sendable, Equatable {
        public var yield = 0.0
        public var risk = 0.0
        public var gas = 0.0
        public var impermanentLoss = 0.0
        public var stability = 0.0
        public var sharpe = 0.0
        public var killSwitch = 0.0
        public var liquidity = 0.0

        public init() {}

        /// Σ weight × term.
        public func total(_ w: Weights) -> Double {
            yield * w.yield + risk * w.risk + gas * w.gas + impermanentLoss * w.impermanentLoss
                + stability * w.stability + sharpe * w.sharpe + killSwitch * w.killSwitch + liquidity * w.liquidity
        }
    }

    /// What the terms are computed from: the portfolio before and after the step.
    public struct StepFacts: Sendable, Equatable {
        public var valueBeforeUSD: Double
        public var valueAfterUSD: Double
        public var gasUSD: Double
        public var impermanentLossUSD: Double
        /// The highest risk score (0…100) among the markets held after the step.
        public var maxRiskScore: Double
        /// Weights after the step (markets then reserve), fractions summing to 1.
        public var weightsAfter: [Double]
        public var daysSinceLastRebalance: Double
        public var sharpeBefore: Double
        public var sharpeAfter: Double
        public var killSwitchEngaged: Bool
        /// Free liquidity over position size, the smallest over held markets (∞ when nothing is held).
        public var liquidityCoverage: Double

        public init(valueBeforeUSD: Double, valueAfterUSD: Double, gasUSD: Double, impermanentLossUSD: Double = 0,
                    maxRiskScore: Double, weightsAfter: [Double], daysSinceLastRebalance: Double,
                    sharpeBefore: Double, sharpeAfter: Double, killSwitchEngaged: Bool, liquidityCoverage: Double) {
            self.valueBeforeUSD = valueBeforeUSD
            self.valueAfterUSD = valueAfterUSD
            self.gasUSD = gasUSD
            self.impermanentLossUSD = impermanentLossUSD
            self.maxRiskScore = maxRiskScore
            self.weightsAfter = weightsAfter
            self.daysSinceLastRebalance = daysSinceLastRebalance
            self.sharpeBefore = sharpeBefore
            self.sharpeAfter = sharpeAfter
            self.killSwitchEngaged = killSwitchEngaged
            self.liquidityCoverage = liquidityCoverage
        }
    }

    /// The seed's terms for one step.
    public static func terms(_ f: StepFacts) -> Terms {
        var t = Terms()
        guard f.valueBeforeUSD > 0 else { return t }
        t.yield = (f.valueAfterUSD - f.valueBeforeUSD) / f.valueBeforeUSD * 1000
        let herfindahl = f.weightsAfter.reduce(0) { $0 + $1 * $1 }
        t.risk = -f.maxRiskScore * 0.1 - herfindahl * 50
        t.gas = -(f.gasUSD / f.valueBeforeUSD) * 10_000
        t.impermanentLoss = -f.impermanentLossUSD / f.valueBeforeUSD * 1000
        t.stability = f.daysSinceLastRebalance >= 3 ? 10 : 0
        t.sharpe = (f.sharpeAfter - f.sharpeBefore) * 100
        t.killSwitch = f.killSwitchEngaged ? -1000 : 0
        t.liquidity = f.liquidityCoverage >= 1.5 ? 5 : 0
        return t
    }

    /// The Sharpe ratio of `returns` (mean over sample standard deviation, annualised by √`periodsPerYear`);
    /// 0 with fewer than two returns or no variation.
    public static func sharpe(_ returns: ArraySlice<Double>, periodsPerYear: Double) -> Double {
        guard returns.count > 1 else { return 0 }
        let n = Double(returns.count)
        let mean = returns.reduce(0, +) / n
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        guard variance > 1e-20 else { return 0 }
        return mean / variance.squareRoot() * periodsPerYear.squareRoot()
    }
}
