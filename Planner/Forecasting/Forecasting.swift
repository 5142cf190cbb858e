/// Yield forecasting: baselines, rate-curve model, gradient-boosted trees, LSTM; walk-forward evaluation.
public enum Forecasting {}
