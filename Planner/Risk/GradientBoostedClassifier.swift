import CXGBoost
import Foundation

/// A binary gradient-boosted tree classifier (XGBoost through its C API): `binary:logistic`, depth 4, η 0.1,
/// 200 rounds, positives weighted by negatives / positives, seeded, two threads.
public final class GradientBoostedClassifier {
    private var booster: BoosterHandle?
    public let featureCount: Int

    /// Trains on `rows` (each `featureCount` wide, NaN = missing) against `labels`.
    public init(rows: [[Float]], labels: [Bool], rounds: Int = 200, maximumDepth: Int = 4, seed: Int = 1) throws {
        precondition(!rows.isEmpty && rows.count == labels.count)
        featureCount = rows[0].count
        let matrix = try Self.matrix(rows)
        defer { XGDMatrixFree(matrix) }
        let floatLabels = labels.map { $0 ? Float(1) : 0 }
        try Self.check("XGDMatrixSetFloatInfo", XGDMatrixSetFloatInfo(matrix, "label", floatLabels,
                                                                       bst_ulong(floatLabels.count)))
        var handle: BoosterHandle?
        var matrices: [DMatrixHandle?] = [matrix]
        try Self.check("XGBoosterCreate", XGBoosterCreate(&matrices, 1, &handle))
        booster = handle
        let positives = max(1, labels.filter { $0 }.count)
        let negatives = labels.count - labels.filter { $0 }.count
        let parameters = [
            ("objective", "binary:logistic"), ("max_depth", "\(maximumDepth)"), ("eta", "0.1"),
            ("subsample", "0.8"), ("colsample_bytree", "0.8"), ("seed", "\(seed)"), ("nthread", "2"),
            ("scale_pos_weight", "\(Double(negatives) / Double(positives))"), ("eval_metric", "auc"),
            ("verbosity", "0"),
        ]
        for (name, value) in parameters {
            try Self.check("XGBoosterSetParam", XGBoosterSetParam(handle, name, value))
        }
        for round in 0..<rounds {
            try Self.check("XGBoosterUpdateOneIter", XGBoosterUpdateOneIter(handle, Int32(round), matrix))
        }
    }

    deinit {
        if let booster { XGBoosterFree(booster) }
    }

    /// The predicted probability of the positive class for each row.
    public func probabilities(_ rows: [[Float]]) throws -> [Double] {
        guard !rows.isEmpty else { return [] }
        let matrix = try Self.matrix(rows)
        defer { XGDMatrixFree(matrix) }
        var length: bst_ulong = 0
        var output: UnsafePointer<Float>?
        try Self.check("XGBoosterPredict", XGBoosterPredict(booster, matrix, 0, 0, 0, &length, &output))
        guard let output, Int(length) == rows.count else {
            throw XGBoostClassifierError(call: "XGBoosterPredict", message: "returned \(length) values")
        }
        return (0..<rows.count).map { Double(output[$0]) }
    }

    private static func matrix(_ rows: [[Float]]) throws -> DMatrixHandle? {
        let width = rows[0].count
        precondition(rows.allSatisfy { $0.count == width }, "rows of one width")
        let flat = rows.flatMap { $0 }
        var handle: DMatrixHandle?
        try check("XGDMatrixCreateFromMat", XGDMatrixCreateFromMat(flat, bst_ulong(rows.count), bst_ulong(width),
                                                                    Float.nan, &handle))
        return handle
    }

    private static func check(_ call: String, _ status: Int32) throws {
        guard status != 0 else { return }
        throw XGBoostClassifierError(call: call, message: String(cString: XGBGetLastError()))
    }
}
