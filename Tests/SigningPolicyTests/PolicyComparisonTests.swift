import BigInt
import Ethereum
import SigningPolicy
import Testing

@Suite struct PolicyComparisonTests {
    typealias F = PolicyFixtures

    func candidate(_ old: String, _ new: String) throws -> SigningPolicy {
        try SigningPolicy.load(toml: F.demo(replacing: old, with: new))
    }

    @Test func anIdenticalPolicyNeitherLoosensNorTightens() {
        let c = F.demo.comparison(relativeTo: F.demo)
        #expect(c.loosened.isEmpty)
        #expect(c.tightened.isEmpty)
        #expect(!F.demo.loosens(relativeTo: F.demo))
    }

    @Test func aNewVersionAndNameAreNotBounds() throws {
        let next = try candidate("version = 1 ", "version = 2 ")
        #expect(!next.loosens(relativeTo: F.demo))
    }

    @Test func tighteningEveryKindOfBoundTakesEffectAtOnce() throws {
        var text = F.demoText
        for (old, new) in [
            ("min_weight_bps = 500 ", "min_weight_bps = 600 "),
            ("max_turnover_bps = 5000", "max_turnover_bps = 4000"),
            ("cooldown = \"6h\"", "cooldown = \"8h\""),
            ("max_fee_per_gas_gwei = \"150\"", "max_fee_per_gas_gwei = \"99.5\""),
            ("max_risk_score = 69", "max_risk_score = 50"),
            ("lending = 10", "lending = 5"),
            ("max_age = \"10m\"", "max_age = \"5m\""),
            ("threshold = 2", "threshold = 3"),
        ] {
            text = text.replacingOccurrences(of: old, with: new)
        }
        let tighter = try SigningPolicy.load(toml: text)
        let c = tighter.comparison(relativeTo: F.demo)
        #expect(c.loosened.isEmpty, "\(c.loosened)")
        #expect(Set(c.tightened.map(\.key)).isSuperset(of: [
            "allocation.min_weight_bps", "rate.max_turnover_bps", "rate.cooldown", "gas.max_fee_per_gas_gwei",
            "economics.max_risk_score", "slippage.lending", "proposal.max_age", "governance.threshold",
        ]))
    }

    @Test func removingAnAdapterTightens() {
        var smaller = F.demo
        smaller.adapters[F.uniswapUSDCUSDT] = nil
        let c = smaller.comparison(relativeTo: F.demo)
        #expect(!c.loosens)
        #expect(c.tightened.count == 1)
    }

    @Test func eachLooseningIsReportedByKey() throws {
        let cases: [(String, String, String)] = [
            ("max_weight_bps = 5000             # 50 %", "max_weight_bps = 6000 # 50 %", "allocation.max_weight_bps"),
            ("min_reserve_bps = 500 ", "min_reserve_bps = 400 ", "allocation.min_reserve_bps"),
            ("max_targets = 8", "max_targets = 9", "allocation.max_targets"),
            ("min_change_bps = 500 ", "min_change_bps = 400 ", "allocation.min_change_bps"),
            ("cooldown = \"6h\"", "cooldown = \"5h59m\"", "rate.cooldown"),
            ("max_rebalances_per_24h = 4", "max_rebalances_per_24h = 5", "rate.max_rebalances_per_24h"),
            ("max_turnover_bps_per_24h = 10000", "max_turnover_bps_per_24h = 10001", "rate.max_turnover_bps_per_24h"),
            ("max_priority_fee_per_gas_gwei = \"3\"", "max_priority_fee_per_gas_gwei = \"3.000000001\"",
             "gas.max_priority_fee_per_gas_gwei"),
            ("max_gas_limit = 500000", "max_gas_limit = 500001", "gas.max_gas_limit"),
            ("min_edge_bps = 50", "min_edge_bps = 49", "economics.min_edge_bps"),
            ("stable_lp = 50", "stable_lp = 51", "slippage.stable_lp"),
            ("max_future_skew = \"30s\"", "max_future_skew = \"31s\"", "proposal.max_future_skew"),
            ("loosening_delay = \"24h\"", "loosening_delay = \"23h\"", "governance.loosening_delay"),
            ("threshold = 2", "threshold = 1", "governance.threshold"),
            ("chain_id = 1", "chain_id = 10", "policy.chain_id"),
            ("hub = \"0xbA8957d4E09F017937D0DD249DFe75345Bdd54Fe\"",
             "hub = \"0x000000000000000000000000000000000000bEEF\"", "policy.hub"),
            ("safe_haven = \"0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C\"",
             "safe_haven = \"0x8de50eEbb41B538C11618E940875a22318B6862a\"", "kill_switch.safe_haven"),
            ("address = \"0xAe745AC7a64b948AB551b1663a46c10d3463Cf8b\"",
             "address = \"0x000000000000000000000000000000000000bEEF\"", "safe.address"),
            ("\"0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70\",", "\"0x000000000000000000000000000000000000bEEF\",",
             "governance.signers"),
            ("name = \"Curve 3pool\"", "name = \"Aave V3 USDC (really)\"",
             "adapters.\"0xf379d3D24B35322BA22d25C7da83c40849e0109a\".name"),
            ("class = \"stable_lp\", max_weight_bps = 3000", "class = \"volatile_lp\", max_weight_bps = 3000",
             "adapters.\"0xf379d3D24B35322BA22d25C7da83c40849e0109a\".class"),
            ("max_weight_bps = 3000 }", "max_weight_bps = 3500 }",
             "adapters.\"0xf379d3D24B35322BA22d25C7da83c40849e0109a\".max_weight_bps"),
        ]
        for (old, new, key) in cases {
            let looser = try candidate(old, new)
            let c = looser.comparison(relativeTo: F.demo)
            #expect(looser.loosens(relativeTo: F.demo), "\(key)")
            #expect(c.loosened.map(\.key) == [key], "\(key): \(c.loosened)")
        }
    }

    @Test func addingAnAdapterLoosens() throws {
        let looser = try candidate("[allocation]", """
            "0x000000000000000000000000000000000000bEEF" = { name = "New", class = "lending", max_weight_bps = 500 }
            [allocation]
            """)
        #expect(looser.comparison(relativeTo: F.demo).loosened.map(\.key)
                    == ["adapters.\"0x000000000000000000000000000000000000bEEF\""])
    }

    @Test func raisingAnAdapterMaximumAboveTheGlobalOneChangesNothingEffective() throws {
        // Aave V3 USDC is already at the global 5000: raising its own cap does not loosen anything.
        let same = try candidate("class = \"lending\", max_weight_bps = 5000 }\n\"0x8de",
                                 "class = \"lending\", max_weight_bps = 9000 }\n\"0x8de")
        #expect(!same.loosens(relativeTo: F.demo))
    }

    @Test func allowingAKindLoosensAndForbiddingOneTightens() throws {
        let exitsOnly = try candidate("max_future_skew = \"30s\"",
                                      "max_future_skew = \"30s\"\nkinds = [\"emergency_exit\"]")
        #expect(!exitsOnly.loosens(relativeTo: F.demo))
        #expect(F.demo.loosens(relativeTo: exitsOnly))
    }

    @Test func mixedChangesLoosen() throws {
        let mixed = try SigningPolicy.load(toml: F.demoText
            .replacingOccurrences(of: "max_risk_score = 69", with: "max_risk_score = 60")
            .replacingOccurrences(of: "max_targets = 8", with: "max_targets = 10"))
        let c = mixed.comparison(relativeTo: F.demo)
        #expect(c.loosens)
        #expect(c.loosened.map(\.key) == ["allocation.max_targets"])
        #expect(c.tightened.map(\.key) == ["economics.max_risk_score"])
    }
}
