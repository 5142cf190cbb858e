import Foundation

/// The feature vector the isolation forest and the autoencoder see for each point of a price series, in units of
/// 1 % (0.01): deviation from the peg, change over 1 step, change over 24 steps, and the standard deviation of the
/// last 24 steps. A step is an hour in `../shared/data` and a day in the daily extract.
public enum PegFeatures {
    public static let count = 4
    public static let lookback = 24
    static let unit = 0.01

    /// One vector per point from index `lookback` on, with the index of its point.
    public static func vectors(_ values: [Double]) -> [(index: Int, features: [Double])] {
        guard values.count > lookback else { return [] }
        var result: [(index: Int, features: [Double])] = []
        result.reserveCapacity(values.count - lookback)
        for index in lookback..<values.count {
            let recent = values[(index - lookback + 1)...index]
            let mean = recent.reduce(0, +) / Double(recent.count)
            let variance = recent.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(recent.count)
            result.append((index, [
                (values[index] - 1) / unit,
                (values[index] - values[index - 1]) / unit,
                (values[index] - values[index - lookback]) / unit,
                sqrt(variance) / unit,
            ]))
        }
        return result
    }
}
