#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PPO's minibatch loss and its gradients with respect to the networks' outputs: SB3's `train()` body between
/// `evaluate_actions` and `backward()`.
///
/// loss = −mean(min(A·r, A·clip(r, 1 ± ε))) + c_ent · (−mean H) + c_vf · mean((R − V)²), with r = exp(log π − log
/// π_old) and A the (already normalised) advantages.
public struct PPOLoss: Sendable {
    public var total: Double
    public var policyLoss: Double
    public var valueLoss: Double
    /// −mean entropy (the term c_ent multiplies).
    public var entropyLoss: Double
    /// Fraction of rows whose ratio was clipped.
    public var clipFraction: Double
    /// ∂loss/∂head, batch × head size.
    public var headGradient: Matrix
    /// ∂loss/∂logStd, 1 × actions (empty for a categorical policy).
    public var logStdGradient: Matrix
    /// ∂loss/∂value, batch × 1.
    public var valueGradient: Matrix

    /// The loss and its gradients for one minibatch.
    public init(
        distribution: PolicyDistribution, head: Matrix, logStd: Matrix, values: Matrix, actions: Matrix,
        oldLogProbabilities: [Double], advantages: [Double], returns: [Double],
        clipRange: Double, entropyCoefficient: Double, valueCoefficient: Double
    ) {
        let n = head.rows
        precondition(values.rows == n && values.columns == 1, "PPOLoss values must be batch × 1")
        precondition(oldLogProbabilities.count == n && advantages.count == n && returns.count == n, "PPOLoss sizes")
        let batch = Double(n)
        let logProbabilities = distribution.logProbabilities(head: head, logStd: logStd, actions: actions)
        let entropies = distribution.entropies(head: head, logStd: logStd)
        var policySum = 0.0, valueSum = 0.0, entropySum = 0.0, clipped = 0
        var logProbabilityGradient = [Double](repeating: 0, count: n)
        var valueGradient = Matrix(rows: n, columns: 1)
        for i in 0..<n {
            let ratio = exp(logProbabilities[i] - oldLogProbabilities[i])
            let a = advantages[i]
            let unclipped = a * ratio
            let clippedRatio = min(max(ratio, 1 - clipRange), 1 + clipRange)
            let clippedTerm = a * clippedRatio
            if abs(ratio - 1) > clipRange { clipped += 1 }
            policySum += min(unclipped, clippedTerm)
            // The min picks the unclipped term, or the clipped one whose gradient is zero outside [1−ε, 1+ε].
            if unclipped <= clippedTerm || (ratio >= 1 - clipRange && ratio <= 1 + clipRange) {
                logProbabilityGradient[i] = -unclipped / batch
            }
            let error = values.values[i] - returns[i]
            valueSum += error * error
            valueGradient.values[i] = valueCoefficient * 2 * error / batch
            entropySum += entropies[i]
        }
        policyLoss = -policySum / batch
        valueLoss = valueSum / batch
        entropyLoss = -entropySum / batch
        total = policyLoss + entropyCoefficient * entropyLoss + valueCoefficient * valueLoss
        clipFraction = Double(clipped) / batch
        let entropyGradient = [Double](repeating: -entropyCoefficient / batch, count: n)
        let gradients = distribution.gradients(
            head: head, logStd: logStd, actions: actions, logProbabilityGradient: logProbabilityGradient,
            entropyGradient: entropyGradient
        )
        headGradient = gradients.head
        logStdGradient = gradients.logStd
        self.valueGradient = valueGradient
    }

    /// Advantages shifted to mean 0 and scaled by their sample standard deviation (n − 1, as `torch.std`) + 1e-8.
    public static func normalized(_ advantages: [Double]) -> [Double] {
        guard advantages.count > 1 else { return advantages }
        let n = Double(advantages.count)
        let mean = advantages.reduce(0, +) / n
        let variance = advantages.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let scale = 1 / (variance.squareRoot() + 1e-8)
        return advantages.map { ($0 - mean) * scale }
    }
}
