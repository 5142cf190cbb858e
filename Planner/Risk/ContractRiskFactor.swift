import SigningPolicy

/// Smart-contract risk (seed §3.1.1, weight 35 %): the mean of four rows of the seed's table, each scored at the
/// middle of its band (low 10, medium 35, high 75): audits (3+ → low, 1–2 → medium, none → high), time live
/// (> 2 years → low, 6 months–2 years → medium), bug bounty (> $1M → low, $100k–$1M → medium, none or unknown →
/// high) and exploits (none → low, one recovered → medium, more → high). Code size and upgradeability are not in
/// the facts file and are left out.
public struct ContractRiskFactor: RiskFactor {
    public init() {}
    public var name: String { "contract" }
    public var weight: Double { 0.35 }

    public func score(_ facts: ProtocolFacts.Entry, state: ProtocolMarketState, asOf: Timestamp) -> FactorScore {
        let audits = facts.audits.count >= 3 ? 10.0 : facts.audits.isEmpty ? 75 : 35
        let years = ContractRiskFactor.yearsLive(facts.launch.date, asOf: asOf)
        let live = years.map { $0 > 2 ? 10.0 : $0 >= 0.5 ? 35 : 75 } ?? 75
        let bounty = facts.bugBounty.maxUSD.map { $0 > 1_000_000 ? 10.0 : $0 >= 100_000 ? 35 : 75 } ?? 75
        let losses = facts.incidents.filter { $0.lostUSD > 0 }
        let exploits = losses.isEmpty ? 10.0 : losses.count == 1 && losses[0].recovered ? 35 : 75
        let score = (audits + live + bounty + exploits) / 4
        let yearsText = years.map { "\(Int(($0 * 10).rounded()) / 10).\(Int(($0 * 10).rounded()) % 10)" } ?? "?"
        return FactorScore(factor: name, weight: weight, score: score,
                           reason: "\(facts.audits.count) audits, \(yearsText) years live, bounty "
                               + (facts.bugBounty.maxUSD.map { "$\(Int($0))" } ?? "unknown")
                               + ", \(losses.count) incidents with losses")
    }

    /// Years from a `YYYY-MM` or `YYYY-MM-DD` launch to `asOf`.
    static func yearsLive(_ date: String, asOf: Timestamp) -> Double? {
        let text = date.count == 7 ? date + "-01" : date
        guard let launch = UTCDate.parseISODate(text) else { return nil }
        return Double(asOf.seconds - launch.seconds) / (365.25 * 86_400)
    }
}

import MarketData
