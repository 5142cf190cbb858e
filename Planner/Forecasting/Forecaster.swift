/// A 7-day supply APY forecaster: fitted on past rows, then asked about later ones.
///
/// `fit` may be called again with a larger set of rows (walk-forward retraining); `predict` may read only the
/// data of each row's day and earlier.
public protocol Forecaster: AnyObject {
    /// Fits on `rows`, whose targets are all known.
    func fit(_ data: ForecastDataset, rows: [ForecastRow]) throws
    /// The forecast target (mean supply APY over the next `horizon` days, a fraction) for each row.
    func predict(_ data: ForecastDataset, rows: [ForecastRow]) throws -> [Double]
}
