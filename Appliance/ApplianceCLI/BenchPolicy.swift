import Ethereum
import SigningPolicy

/// The policy `appliance bench` installs on its throwaway state, and the proposals it sends.
///
/// It is the demo policy (`policy/demo.toml`: same adapters, caps, gas, economics, slippage and governance) opened
/// up so that a stream of identical proposals is approved again and again: no cooldown, the most rebalances a day
/// the loader allows, a very large daily turnover budget and no minimum change. Every rule still runs on every
/// proposal.
enum BenchPolicy {
    /// Approvals per state database: the policy's 24 h limit (1,440) with room to spare; a benchmark round stops
    /// here and the next round starts on a fresh database.
    static let approvalsPerRound = 1_400

    static let aaveUSDC = try! Address(hex: "0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C")
    static let aaveUSDT = try! Address(hex: "0x8de50eEbb41B538C11618E940875a22318B6862a")

    /// The policy text for `mode` (Safe mode adds the demo Safe).
    static func toml(mode: SigningPolicy.Mode) -> String {
        let adapters = [
            ("0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C", "Aave V3 USDC", "lending", 5000),
            ("0x8de50eEbb41B538C11618E940875a22318B6862a", "Aave V3 USDT", "lending", 5000),
            ("0xf379d3D24B35322BA22d25C7da83c40849e0109a", "Curve 3pool", "stable_lp", 3000),
            ("0x7b72853019358b86664B185D1b757602Fadb6E1D", "Uniswap V3 USDC/USDT", "stable_lp", 2000),
        ].map { address, name, kind, cap in
            "\"\(address)\" = { name = \"\(name)\", class = \"\(kind)\", max_weight_bps = \(cap) }"
        }.joined(separator: "\n")
        let safe = mode == .safe ? """

            [safe]
            address = "0xAe745AC7a64b948AB551b1663a46c10d3463Cf8b"

            """ : ""
        return """
            # appliance bench: the demo policy's adapters and limits, opened up for throughput measurement.
            [policy]
            name = "bench"
            version = 1
            chain_id = 1
            mode = "\(mode == .safe ? "safe" : "keeper")"
            hub = "0xbA8957d4E09F017937D0DD249DFe75345Bdd54Fe"

            [adapters]
            \(adapters)

            [allocation]
            min_weight_bps = 500
            max_weight_bps = 5000
            min_reserve_bps = 500
            max_targets = 8
            min_change_bps = 0

            [rate]
            cooldown = "0s"
            max_rebalances_per_24h = 1440
            max_turnover_bps = 5000
            max_turnover_bps_per_24h = 1000000

            [gas]
            max_fee_per_gas_gwei = "150"
            max_priority_fee_per_gas_gwei = "3"
            max_gas_limit = 500000

            [economics]
            min_edge_bps = 50
            max_risk_score = 69

            [slippage]
            lending = 10
            stable_lp = 50
            volatile_lp = 200

            [proposal]
            max_age = "10m"
            max_future_skew = "30s"

            [kill_switch]
            safe_haven = "0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C"
            \(safe)
            [governance]
            signers = [
                "0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1",
                "0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c",
                "0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70",
            ]
            threshold = 2
            loosening_delay = "24h"

            """
    }

    /// A rebalance the policy approves whenever it is fresh and its id is new: half to two lending adapters, half
    /// in reserve (5,000 bps of turnover from the all-reserve start, none after the first approval).
    static func approvable(id: String, at now: Timestamp) -> Proposal {
        Proposal(
            id: id, createdAt: now, chainID: 1, kind: .rebalance,
            targets: [.init(adapter: aaveUSDC, weightBps: 2500), .init(adapter: aaveUSDT, weightBps: 2500)],
            reserveBps: 5000, maxSlippageBps: 10,
            gas: .init(maxFeePerGas: 30_000_000_000, maxPriorityFeePerGas: 1_000_000_000, gasLimit: 450_000),
            expected: .init(apyGainBps: 120, gasCostBps: 2, maxRiskScore: 35),
            evidence: [.init(key: "model", value: "bench")])
    }

    /// The same rebalance for another chain: rejected by the `chain` rule (every other rule runs too).
    static func rejectable(id: String, at now: Timestamp) -> Proposal {
        var proposal = approvable(id: id, at: now)
        proposal.chainID = 5
        return proposal
    }
}
