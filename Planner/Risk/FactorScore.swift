/// A factor's sub-score (0…100, higher = riskier) and why.
public struct FactorScore: Sendable, Hashable {
    public var factor: String
    public var weight: Double
    public var score: Double
    public var reason: String

    public init(factor: String, weight: Double, score: Double, reason: String) {
        self.factor = factor
        self.weight = weight
        self.score = score
        self.reason = reason
    }
}
