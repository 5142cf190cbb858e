/// Protocol risk: the 5-factor score, peg monitor, impermanent loss, anomaly detection, early warning.
public enum Risk {}
