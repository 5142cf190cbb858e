import SigningPolicy

/// Runs detectors over price series for a period and returns the de-duplicated alerts.
///
/// Each detector sees the whole series up to `to` (earlier points are its history) and flags points in
/// `[from, to)`; `AlertCoolDown` turns the flags into episodes.
public struct AnomalyScan: Sendable {
    public var detectors: [any AnomalyDetector]
    public var coolDown: AlertCoolDown

    public init(detectors: [any AnomalyDetector] = AnomalyScan.standardDetectors,
                coolDown: AlertCoolDown = AlertCoolDown()) {
        self.detectors = detectors
        self.coolDown = coolDown
    }

    /// The peg monitor, the rolling z-score, the isolation forest and the autoencoder with their defaults.
    public static var standardDetectors: [any AnomalyDetector] {
        [PegMonitor(), ZScoreDetector(), IsolationForestDetector(), AutoencoderDetector()]
    }

    /// Alerts for `[from, to)`, sorted by time.
    public func alerts(in series: [PriceSeries], from: Timestamp, to: Timestamp) -> [Alert] {
        var flags: [Alert] = []
        for one in series {
            let upToEnd = PriceSeries(market: one.market, coin: one.coin, source: one.source,
                                      points: one.points.filter { $0.at < to })
            guard upToEnd.points.contains(where: { $0.at >= from }) else { continue }
            for detector in detectors {
                flags += detector.flags(in: upToEnd, from: from)
            }
        }
        return coolDown.episodes(flags)
    }
}
