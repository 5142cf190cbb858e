import Foundation
@testable import Forecasting
import Testing

struct XGBoostForecasterTests {
    @Test func boostedTreesFitANonlinearFunctionBetterThanTheMean() throws {
        var generator = SystemRandomNumberGeneratorFree(seed: 7)
        let inputs = (0..<400).map { _ in [generator.next() * 6 - 3, generator.next() * 6 - 3] }
        let labels = inputs.map { $0[0] * $0[0] + ($0[1] > 0 ? 2 : -2) }
        let regressor = XGBoostRegressor(rounds: 100, maxDepth: 3, learningRate: 0.2, threads: 1)
        try regressor.fit(Array(inputs.prefix(300)), labels: Array(labels.prefix(300)))
        let predictions = try regressor.predict(Array(inputs.suffix(100)))
        let truth = Array(labels.suffix(100))
        let mean = labels.prefix(300).reduce(0, +) / 300
        let modelError = zip(predictions, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let meanError = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        #expect(modelError < 0.3 * meanError)
    }

    @Test func fittingIsDeterministic() throws {
        let inputs = (0..<200).map { [Double($0 % 17), Double($0 % 5)] }
        let labels = inputs.map { $0[0] * $0[1] }
        func run() throws -> [Double] {
            let r = XGBoostRegressor(rounds: 20, threads: 2)
            try r.fit(inputs, labels: labels)
            return try r.predict(inputs)
        }
        #expect(try run() == run())
    }

    @Test func predictingBeforeFittingThrows() {
        #expect(throws: XGBoostError.self) { try XGBoostRegressor().predict([[1, 2]]) }
    }
}

/// A tiny linear congruential generator for test inputs, uniform in [0, 1).
struct SystemRandomNumberGeneratorFree {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) * 0x1.0p-53
    }
}
