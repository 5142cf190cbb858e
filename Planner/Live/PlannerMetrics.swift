import Foundation

/// The live loop's Prometheus metrics, rendered in the text exposition format (version 0.0.4).
///
/// Counters: cycles, cycle errors, proposals by kind and decision, rejections by reason code, kill-switch
/// engagements. Gauges: the time of the last decision, the current target weight per adapter, the back-off end.
/// Safe to update from the loop while the metrics server renders it.
public final class PlannerMetrics: @unchecked Sendable {
    private struct Family {
        var help: String
        var type: String
        var samples: [String: Double] = [:]
    }

    private let lock = NSLock()
    private var families: [String: Family] = [:]

    public init() {
        declare("planner_cycles_total", "counter", "Planning cycles run.")
        declare("planner_cycle_errors_total", "counter", "Cycles that ended in an error (nothing was decided).")
        declare("planner_proposals_total", "counter", "Proposals submitted to the appliance, by kind and decision.")
        declare("planner_rejections_total", "counter", "Rejection reasons the appliance gave, by reason code.")
        declare("planner_kill_switch_engagements_total", "counter", "Times the planner engaged the kill switch.")
        declare("planner_last_decision_timestamp_seconds", "gauge", "When the appliance last decided a proposal.")
        declare("planner_target_weight_bps", "gauge", "Target weight of each adapter in the last approval (bps).")
        declare("planner_reserve_bps", "gauge", "Reserve in the last approved allocation (bps).")
        declare("planner_backoff_until_timestamp_seconds", "gauge", "End of the current back-off (0: none).")
        declare("planner_last_cycle_duration_seconds", "gauge", "Wall time of the last cycle.")
        declare("planner_risk_score", "gauge", "5-factor risk score by protocol (0-100).")
    }

    private func declare(_ name: String, _ type: String, _ help: String) {
        families[name] = Family(help: help, type: type)
    }

    /// Adds `amount` to the counter `name` with `labels`.
    public func increment(_ name: String, labels: [(String, String)] = [], by amount: Double = 1) {
        update(name, labels) { $0 + amount }
    }

    /// Sets the gauge `name` with `labels`.
    public func set(_ name: String, labels: [(String, String)] = [], _ value: Double) {
        update(name, labels) { _ in value }
    }

    /// Removes every sample of `name` (a gauge whose label set changes, such as the target weights).
    public func reset(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        families[name]?.samples = [:]
    }

    private func update(_ name: String, _ labels: [(String, String)], _ change: (Double) -> Double) {
        let key = labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
        lock.lock()
        defer { lock.unlock() }
        precondition(families[name] != nil, "undeclared metric \(name)")
        families[name]!.samples[key] = change(families[name]!.samples[key] ?? 0)
    }

    /// The exposition text: every family with its HELP and TYPE lines, samples sorted by labels. Counters
    /// without samples are shown as 0 so a scraper sees them from the start.
    public func render() -> String {
        lock.lock()
        defer { lock.unlock() }
        var out = ""
        for name in families.keys.sorted() {
            let family = families[name]!
            out += "# HELP \(name) \(family.help)\n# TYPE \(name) \(family.type)\n"
            if family.samples.isEmpty, family.type == "counter", !name.contains("proposals"),
               !name.contains("rejections") {
                out += "\(name) 0\n"
            }
            for key in family.samples.keys.sorted() {
                out += key.isEmpty ? name : "\(name){\(key)}"
                out += " \(Self.format(family.samples[key]!))\n"
            }
        }
        return out
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
