/// A market's risk score (0…100) for a proposal's `expected.max_risk_score` claim, from what the step's data
/// shows: a base by adapter class (lending 20, stable LP 30, volatile LP 50), up to 40 more as utilisation rises
/// from 85 % to 100 % (withdrawals may not be possible), and up to 40 more as the coin's price leaves 1 by up to
/// 2 % (the seed's kill-switch level). The policy's `economics.max_risk_score` (69 in the demo) then refuses a
/// market that is both nearly illiquid and de-pegging.
///
/// A deliberately simple stand-in for `Risk.ProtocolRiskScore`, which scores a protocol from committed facts and
/// 30-day windows and is too slow to recompute at every hourly step.
public enum MarketRiskScore {
    public static func score(_ quote: MarketQuote, adapterClass: String) -> Int {
        let base: Double = switch adapterClass {
        case "stable_lp": 30
        case "volatile_lp": 50
        default: 20
        }
        let utilization = min(1, max(0, (quote.utilization - 0.85) / 0.15))
        let peg = min(1, abs(1 - quote.price) / 0.02)
        return Int((base + 40 * utilization + 40 * peg).rounded(.up))
    }
}
