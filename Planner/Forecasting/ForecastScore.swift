/// Error measures of a set of forecasts against the realised targets.
///
/// - `maeBps`, `rmseBps`: mean absolute and root-mean-square error, in basis points of APY.
/// - `mape`: mean of |error| / |actual| as a fraction, over rows whose actual is not zero.
/// - `directionalAccuracy`: the fraction of rows where the forecast change (forecast − today's APY) has the
///   same sign as the actual change (target − today's APY), a change under `tieTolerance` counting as zero. A
///   zero forecast change (persistence) is right only when the actual change is zero too.
public struct ForecastScore: Sendable, Equatable {
    public static let tieTolerance = 1e-12

    public private(set) var n = 0
    private var absoluteSum = 0.0
    private var squaredSum = 0.0
    private var percentageSum = 0.0
    private var percentageCount = 0
    private var directionHits = 0

    public init() {}

    /// Adds one forecast: `forecast` and `actual` targets and today's APY `current`, all fractions.
    public mutating func add(forecast: Double, actual: Double, current: Double) {
        let error = forecast - actual
        n += 1
        absoluteSum += abs(error)
        squaredSum += error * error
        if abs(actual) > 0 {
            percentageSum += abs(error) / abs(actual)
            percentageCount += 1
        }
        if Self.sign(forecast - current) == Self.sign(actual - current) { directionHits += 1 }
    }

    public mutating func merge(_ other: ForecastScore) {
        n += other.n
        absoluteSum += other.absoluteSum
        squaredSum += other.squaredSum
        percentageSum += other.percentageSum
        percentageCount += other.percentageCount
        directionHits += other.directionHits
    }

    public var maeBps: Double { n > 0 ? absoluteSum / Double(n) * 10_000 : .nan }
    public var rmseBps: Double { n > 0 ? (squaredSum / Double(n)).squareRoot() * 10_000 : .nan }
    public var mape: Double { percentageCount > 0 ? percentageSum / Double(percentageCount) : .nan }
    public var directionalAccuracy: Double { n > 0 ? Double(directionHits) / Double(n) : .nan }

    static func sign(_ change: Double) -> Int {
        abs(change) < tieTolerance ? 0 : (change > 0 ? 1 : -1)
    }
}
