import CXGBoost

/// Gradient-boosted regression trees through XGBoost's C API (libxgboost): squared error by default
/// (`reg:absoluteerror` and others by name), fixed seed, `nthread` capped, so a fit is deterministic. NaN features are
/// XGBoost's missing values.
public final class XGBoostRegressor {
    /// Booster parameters (name → value), as XGBoost spells them.
    public let parameters: [(String, String)]
    /// Boosting rounds.
    public let rounds: Int
    private var booster: BoosterHandle?
    private var featureCount = 0

    public init(rounds: Int = 300, maxDepth: Int = 4, learningRate: Double = 0.05, subsample: Double = 0.8,
                columnSample: Double = 0.8, minChildWeight: Double = 5, threads: Int = 2, seed: Int = 0,
                objective: String = "reg:squarederror") {
        self.rounds = rounds
        parameters = [
            ("objective", objective), ("max_depth", String(maxDepth)), ("eta", String(learningRate)),
            ("subsample", String(subsample)), ("colsample_bytree", String(columnSample)),
            ("min_child_weight", String(minChildWeight)), ("nthread", String(threads)), ("seed", String(seed)),
            ("tree_method", "hist"), ("verbosity", "0"),
        ]
    }

    /// Whether `fit` has produced a model.
    public var isFitted: Bool { booster != nil }

    deinit {
        if let booster { XGBoosterFree(booster) }
    }

    /// Fits on `rows` (each of the same length) and `labels`, replacing any earlier fit.
    public func fit(_ rows: [[Double]], labels: [Double]) throws {
        precondition(rows.count == labels.count && !rows.isEmpty, "One label per row, at least one row")
        if let booster { XGBoosterFree(booster) }
        booster = nil
        featureCount = rows[0].count
        let matrix = try Self.matrix(rows, columns: featureCount)
        defer { XGDMatrixFree(matrix) }
        let floats = labels.map(Float.init)
        try Self.check("XGDMatrixSetFloatInfo") {
            floats.withUnsafeBufferPointer { XGDMatrixSetFloatInfo(matrix, "label", $0.baseAddress, UInt64($0.count)) }
        }
        var handle: BoosterHandle?
        try Self.check("XGBoosterCreate") {
            var matrices: [DMatrixHandle?] = [matrix]
            return XGBoosterCreate(&matrices, 1, &handle)
        }
        guard let handle else { throw XGBoostError(call: "XGBoosterCreate", message: "no handle") }
        booster = handle
        for (name, value) in parameters {
            try Self.check("XGBoosterSetParam(\(name))") { XGBoosterSetParam(handle, name, value) }
        }
        for iteration in 0..<rounds {
            try Self.check("XGBoosterUpdateOneIter") { XGBoosterUpdateOneIter(handle, Int32(iteration), matrix) }
        }
    }

    /// Predictions for `rows`; the model must have been fitted.
    public func predict(_ rows: [[Double]]) throws -> [Double] {
        guard let booster else { throw XGBoostError(call: "predict", message: "the model has not been fitted") }
        guard !rows.isEmpty else { return [] }
        let matrix = try Self.matrix(rows, columns: featureCount)
        defer { XGDMatrixFree(matrix) }
        var length: UInt64 = 0
        var result: UnsafePointer<Float>?
        try Self.check("XGBoosterPredict") { XGBoosterPredict(booster, matrix, 0, 0, 0, &length, &result) }
        guard let result, Int(length) == rows.count else {
            throw XGBoostError(call: "XGBoosterPredict", message: "expected \(rows.count) predictions, got \(length)")
        }
        return (0..<Int(length)).map { Double(result[$0]) }
    }

    private static func matrix(_ rows: [[Double]], columns: Int) throws -> DMatrixHandle {
        var flat: [Float] = []
        flat.reserveCapacity(rows.count * columns)
        for row in rows {
            precondition(row.count == columns, "Every row needs \(columns) features")
            flat.append(contentsOf: row.map { $0.isFinite ? Float($0) : Float.nan })
        }
        var handle: DMatrixHandle?
        try check("XGDMatrixCreateFromMat") {
            flat.withUnsafeBufferPointer {
                XGDMatrixCreateFromMat($0.baseAddress, UInt64(rows.count), UInt64(columns), Float.nan, &handle)
            }
        }
        guard let handle else { throw XGBoostError(call: "XGDMatrixCreateFromMat", message: "no handle") }
        return handle
    }

    private static func check(_ call: String, _ body: () -> Int32) throws {
        guard body() == 0 else {
            throw XGBoostError(call: call, message: XGBGetLastError().map { String(cString: $0) } ?? "unknown")
        }
    }
}
