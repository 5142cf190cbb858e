/// Yield forecasting: baselines, rate-curve model, gradient-boosted trees, LSTM; walk-forward evaluation.
///
/// The target everywhere is the mean supply APY of a market over the next `horizon` days (7), as a fraction.
public enum Forecasting {
    /// Days ahead the target averages over.
    public static let horizon = 7
    /// Days of history a row needs before it is used (the longest feature window and the LSTM's lookback).
    public static let warmUpDays = 30
}
