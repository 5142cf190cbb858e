/// Market data for the planner: history files, subgraph and JSON-RPC sources, and the store.
public enum MarketData {}
