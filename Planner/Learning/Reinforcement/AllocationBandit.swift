#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-step continuous allocation problem with a known optimum, to check PPO's Gaussian policy end to end.
///
/// The action a ∈ [−3, 3]ⁿ becomes weights w = softmax(`temperature` · a). The reward is the realised yield
/// Σ wᵢ(μᵢ + σᵢεᵢ), εᵢ standard normal, minus the mean-variance penalty λ Σ σᵢ² wᵢ². Its expectation
/// f(w) = μ·w − λ Σ σᵢ² wᵢ² is maximised on the simplex by wᵢ = (μᵢ − ν) / (2λσᵢ²) with ν fixed by Σ wᵢ = 1
/// (all positive for the default parameters, so softmax reaches it).
public struct AllocationBandit: ReinforcementEnvironment, Sendable {
    /// Expected yields μ (percent).
    public let expectedYields: [Double]
    /// Yield variances σ² (percent²).
    public let variances: [Double]
    /// Risk aversion λ.
    public let riskAversion: Double
    /// Scale from action to softmax logits.
    public let temperature: Double

    /// Four assets whose optimum is (0.4, 0.3, 0.2, 0.1) with value 3.73; equal weights score 3.5125 (5.8 % less).
    public init(
        expectedYields: [Double] = [8.4, 4.4, 2.8, 2.2], variances: [Double] = [8, 4, 2, 1], riskAversion: Double = 1,
        temperature: Double = 1
    ) {
        precondition(expectedYields.count == variances.count && !variances.isEmpty, "one variance per asset")
        precondition(variances.allSatisfy { $0 > 0 } && riskAversion > 0, "variances and λ must be positive")
        self.expectedYields = expectedYields
        self.variances = variances
        self.riskAversion = riskAversion
        self.temperature = temperature
    }

    public var observationSize: Int { 1 }
    public var actionSpace: ActionSpace {
        .box(low: [Double](repeating: -3, count: variances.count), high: [Double](repeating: 3, count: variances.count))
    }

    public mutating func reset(using generator: inout SeededGenerator) -> [Double] { [1] }

    public mutating func step(_ action: [Double], using generator: inout SeededGenerator) -> EnvironmentStep {
        let w = weights(for: action)
        var reward = 0.0
        for i in w.indices {
            reward += w[i] * (expectedYields[i] + variances[i].squareRoot() * generator.nextNormal())
            reward -= riskAversion * variances[i] * w[i] * w[i]
        }
        return EnvironmentStep(observation: [1], reward: reward, terminated: true, truncated: false)
    }

    /// The weights an action (clipped into [−3, 3]) stands for.
    public func weights(for action: [Double]) -> [Double] {
        let logits = actionSpace.clipped(action).map { $0 * temperature }
        return Softmax.probabilities(Matrix(row: logits)).values
    }

    /// The expected reward f(w).
    public func expectedReward(_ w: [Double]) -> Double {
        var total = 0.0
        for i in w.indices { total += w[i] * expectedYields[i] - riskAversion * variances[i] * w[i] * w[i] }
        return total
    }

    /// The maximiser of f on the simplex, by water-filling: wᵢ = max(0, (μᵢ − ν)/(2λσᵢ²)), ν found by bisection.
    public var optimalWeights: [Double] {
        func weight(_ i: Int, _ nu: Double) -> Double {
            max(0, (expectedYields[i] - nu) / (2 * riskAversion * variances[i]))
        }
        func total(_ nu: Double) -> Double { expectedYields.indices.reduce(0) { $0 + weight($1, nu) } }
        var low = (expectedYields.min() ?? 0) - 2 * riskAversion * (variances.max() ?? 0) - 1
        var high = expectedYields.max() ?? 0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if total(mid) > 1 { low = mid } else { high = mid }
        }
        let nu = (low + high) / 2
        return expectedYields.indices.map { weight($0, nu) }
    }

    /// f at the optimum.
    public var optimalReward: Double { expectedReward(optimalWeights) }
}
