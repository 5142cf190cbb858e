import Foundation
import SigningPolicy

/// What one cycle did, for the person watching (`describe`) and for scripts (`json`, one object per cycle).
public struct CycleReport: Sendable {
    /// What the cycle ended with.
    public enum Action: String, Sendable {
        /// The appliance approved a proposal.
        case approved
        /// The appliance rejected a proposal; the planner backs off.
        case rejected
        /// Nothing worth proposing (or nothing allowed now, such as after an exit).
        case hold
        /// A back-off from an earlier rejection is still running: nothing was sent.
        case backoff
        /// The cycle failed before a decision (the appliance unreachable, bad data).
        case error
    }

    public var cycle: Int64 = 0
    public var startedAt: Timestamp
    public var marketTime: Timestamp
    public var action: Action = .hold
    public var message: String = ""
    public var kind: Proposal.Kind?
    public var proposalID: String?
    public var reasons: [Reason] = []
    public var auditSeq: UInt64?
    public var auditHash: String?
    public var transactionHash: String?
    /// Keeper mode: the signed EIP-1559 transaction, ready to broadcast.
    public var rawTransaction: String?
    public var bundlePath: String?
    public var backoffUntil: Timestamp?
    public var killSwitchEngaged = false
    public var killSwitchEngagedNow = false
    public var exitReasons: [String] = []
    /// Target weights (adapter, name, market, bps) of the proposal, if one was built.
    public var targets: [(adapter: String, name: String, market: String, weightBps: Int)] = []
    public var reserveBps: Int?
    public var expected: Proposal.Expected?
    public var gas: Proposal.Gas?
    public var gasSource: String?
    public var forecasts: [String: Double] = [:]
    public var riskScores: [String: Double] = [:]
    /// Wall time of the whole cycle and of the appliance's answer to the proposal, in milliseconds.
    public var cycleMilliseconds: Double = 0
    public var applianceMilliseconds: Double?

    public init(startedAt: Timestamp, marketTime: Timestamp) {
        self.startedAt = startedAt
        self.marketTime = marketTime
    }

    /// The report as one JSON object (keys sorted).
    public var json: String {
        var object: [String: Any] = [
            "cycle": cycle, "started_at": startedAt.rfc3339, "market_time": marketTime.rfc3339,
            "action": action.rawValue, "message": message,
            "reasons": reasons.map { ["code": $0.code.rawValue, "rule": $0.rule, "message": $0.message] },
            "kill_switch": ["engaged": killSwitchEngaged, "engaged_this_cycle": killSwitchEngagedNow,
                            "exit_reasons": exitReasons] as [String: Any],
            "targets": targets.map {
                ["adapter": $0.adapter, "name": $0.name, "market": $0.market, "weight_bps": $0.weightBps]
                    as [String: Any]
            },
            "forecast_apy": forecasts, "risk_scores": riskScores,
            "latency_ms": ["cycle": Self.round(cycleMilliseconds),
                           "appliance": applianceMilliseconds.map { Self.round($0) as Any } ?? NSNull()]
                as [String: Any],
        ]
        object["kind"] = kind?.rawValue ?? NSNull()
        object["proposal_id"] = proposalID ?? NSNull()
        object["decision"] = action == .approved || action == .rejected ? action.rawValue : NSNull()
        object["audit"] = auditSeq.map { ["seq": $0, "hash": auditHash ?? ""] as [String: Any] } ?? NSNull()
        object["transaction_hash"] = transactionHash ?? NSNull()
        object["raw_transaction"] = rawTransaction ?? NSNull()
        object["bundle_path"] = bundlePath ?? NSNull()
        object["backoff_until"] = backoffUntil?.rfc3339 ?? NSNull()
        object["reserve_bps"] = reserveBps ?? NSNull()
        object["gas_source"] = gasSource ?? NSNull()
        object["gas"] = gas.map {
            ["max_fee_per_gas": String($0.maxFeePerGas), "max_priority_fee_per_gas": String($0.maxPriorityFeePerGas),
             "gas_limit": $0.gasLimit] as [String: Any]
        } ?? NSNull()
        object["expected"] = expected.map {
            ["apy_gain_bps": $0.apyGainBps, "gas_cost_bps": $0.gasCostBps, "max_risk_score": $0.maxRiskScore]
        } ?? NSNull()
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A few lines for a person.
    public var describe: String {
        var lines = ["cycle \(cycle) at market time \(marketTime.rfc3339): \(action.rawValue.uppercased())"
                     + (message.isEmpty ? "" : " — \(message)")]
        if !forecasts.isEmpty {
            lines.append("  APY forecast: " + forecasts.keys.sorted().map {
                "\($0) " + String(format: "%.2f %%", forecasts[$0]! * 100)
            }.joined(separator: ", "))
        }
        if !riskScores.isEmpty {
            lines.append("  risk scores (0-100): " + riskScores.keys.sorted().map { "\($0) \(riskScores[$0]!)" }
                .joined(separator: ", "))
        }
        for reason in exitReasons { lines.append("  risk: \(reason)") }
        if killSwitchEngagedNow { lines.append("  kill switch ENGAGED by the planner") }
        if let kind, let proposalID {
            let weights = targets.map { "\($0.name) \($0.weightBps)" }.joined(separator: ", ")
            lines.append("  \(kind.rawValue) \(proposalID): \(weights), reserve \(reserveBps ?? 0) bps")
        }
        if let expected {
            lines.append("  expected: +\(expected.apyGainBps) bps APY, gas \(expected.gasCostBps) bps, "
                         + "max risk score \(expected.maxRiskScore)" + (gasSource.map { " (gas from \($0))" } ?? ""))
        }
        for reason in reasons { lines.append("  \(reason.code.rawValue) [\(reason.rule)] \(reason.message)") }
        if let auditSeq { lines.append("  audit #\(auditSeq)") }
        if let transactionHash { lines.append("  keeper transaction \(transactionHash)") }
        if let bundlePath { lines.append("  bundle \(bundlePath)") }
        if let backoffUntil { lines.append("  backing off until \(backoffUntil.rfc3339)") }
        if let applianceMilliseconds {
            lines.append("  appliance answered in \(Self.round(applianceMilliseconds)) ms; cycle "
                         + "\(Self.round(cycleMilliseconds)) ms")
        }
        return lines.joined(separator: "\n")
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
