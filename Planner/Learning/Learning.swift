/// A small neural-network core for the planner: dense and LSTM layers, Adam, on OpenBLAS.
public enum Learning {}
