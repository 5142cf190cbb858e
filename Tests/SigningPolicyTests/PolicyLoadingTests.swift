import BigInt
import Ethereum
import SigningPolicy
import Testing

@Suite struct PolicyLoadingTests {
    typealias F = PolicyFixtures

    static let killSwitchTable = "[kill_switch]\nsafe_haven = \"0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C\""

    func loadError(_ text: String) -> PolicyLoadError? {
        do {
            _ = try SigningPolicy.load(toml: text)
            return nil
        } catch {
            return error
        }
    }

    func expectRefused(_ old: String, _ new: String, _ code: PolicyLoadError.Code, at keyPath: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let e = loadError(F.demo(replacing: old, with: new))
        #expect(e?.code == code, "\(String(describing: e))", sourceLocation: sourceLocation)
        #expect(e?.keyPath == keyPath, "\(String(describing: e))", sourceLocation: sourceLocation)
        #expect(e?.hint.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func demoPolicyLoadsWithTheSeedValues() throws {
        let p = F.demo
        #expect(p.name == "demo")
        #expect(p.version == 1)
        #expect(p.chainID == 1)
        #expect(p.mode == .safe)
        #expect(p.adapters.count == 4)
        #expect(p.adapters[F.aaveUSDC]?.name == "Aave V3 USDC")
        #expect(p.adapters[F.curve3pool]?.adapterClass == .stableLP)
        #expect(p.allocation == .init(minWeightBps: 500, maxWeightBps: 5000, minReserveBps: 500, maxTargets: 8,
                                      minChangeBps: 500))
        #expect(p.rate == .init(cooldown: Duration(seconds: 21_600), maxRebalancesPer24h: 4, maxTurnoverBps: 5000,
                                maxTurnoverBpsPer24h: 10_000))
        #expect(p.gas.maxFeePerGas == BigUInt(150_000_000_000))
        #expect(p.gas.maxPriorityFeePerGas == BigUInt(3_000_000_000))
        #expect(p.gas.maxGasLimit == 500_000)
        #expect(p.economics == .init(minEdgeBps: 50, maxRiskScore: 69))
        #expect(p.slippage == [.lending: 10, .stableLP: 50, .volatileLP: 200])
        #expect(p.proposal.maxAge.seconds == 600)
        #expect(p.proposal.maxFutureSkew.seconds == 30)
        #expect(p.proposal.kinds == [.rebalance, .emergencyExit])
        #expect(p.safeHaven == F.aaveUSDC)
        #expect(p.safeAddress == F.address("0xAe745AC7a64b948AB551b1663a46c10d3463Cf8b"))
        #expect(p.governance.signers == [
            F.address("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"),
            F.address("0x5050A4F4b3f9338C3472dcC01A87C76A144b3c9c"),
            F.address("0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70"),
        ])
        #expect(p.governance.threshold == 2)
        #expect(p.governance.looseningDelay.seconds == 86_400)
    }

    @Test func examplePoliciesLoad() throws {
        let keeper = try SigningPolicy.load(toml: F.text("examples/mainnet-keeper.toml"))
        #expect(keeper.mode == .keeper)
        #expect(keeper.safeAddress == nil)
        let safe = try SigningPolicy.load(toml: F.text("examples/mainnet-safe.toml"))
        #expect(safe.mode == .safe)
        #expect(safe.safeAddress != nil)
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let e = loadError("[policy]\nname = 1.5\n")
        #expect(e?.code == .syntax)
        #expect(e?.position == TOMLPosition(line: 2, column: 8))
    }

    @Test func unknownKeysAreRefusedEverywhere() {
        expectRefused("chain_id = 1", "chain_id = 1\ncolour = \"blue\"", .unknownKey, at: "policy.colour")
        expectRefused("[rate]", "[rates]\nx = 1\n[rate]", .unknownKey, at: "rates")
        expectRefused("class = \"lending\", max_weight_bps = 5000 }\n\"0x8de",
                      "class = \"lending\", max_weight_bps = 5000, extra = 1 }\n\"0x8de", .unknownKey,
                      at: "adapters.\"0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C\".extra")
    }

    @Test func missingRequiredKeysAreRefused() {
        expectRefused("max_gas_limit = 500000", "", .missingKey, at: "gas.max_gas_limit")
        expectRefused("[economics]", "[economics_gone]", .missingKey, at: "economics")
        expectRefused("[safe]\naddress = \"0xAe745AC7a64b948AB551b1663a46c10d3463Cf8b\"", "", .missingKey, at: "safe")
    }

    @Test func wrongTypesAreRefused() {
        expectRefused("max_targets = 8", "max_targets = \"8\"", .wrongType, at: "allocation.max_targets")
        expectRefused("cooldown = \"6h\"", "cooldown = 6", .wrongType, at: "rate.cooldown")
    }

    @Test func outOfRangeValuesAreRefused() {
        expectRefused("max_weight_bps = 5000             # 50 %", "max_weight_bps = 10001 # 50 %", .invalidValue,
                      at: "allocation.max_weight_bps")
        expectRefused("max_weight_bps = 3000 }", "max_weight_bps = 10001 }", .invalidValue,
                      at: "adapters.\"0xf379d3D24B35322BA22d25C7da83c40849e0109a\".max_weight_bps")
        expectRefused("max_risk_score = 69", "max_risk_score = 101", .invalidValue, at: "economics.max_risk_score")
        expectRefused("lending = 10", "lending = -1", .invalidValue, at: "slippage.lending")
        expectRefused("max_age = \"10m\"", "max_age = \"2d\"", .invalidValue, at: "proposal.max_age")
        expectRefused("cooldown = \"6h\"", "cooldown = \"six hours\"", .invalidValue, at: "rate.cooldown")
        expectRefused("mode = \"safe\"", "mode = \"multisig\"", .invalidValue, at: "policy.mode")
        expectRefused("max_fee_per_gas_gwei = \"150\"", "max_fee_per_gas_gwei = \"1.0000000001\"", .invalidValue,
                      at: "gas.max_fee_per_gas_gwei")
        expectRefused("chain_id = 1", "chain_id = 0", .invalidValue, at: "policy.chain_id")
        expectRefused("threshold = 2", "threshold = 0", .invalidValue, at: "governance.threshold")
    }

    @Test func badAddressesAreRefused() {
        expectRefused("hub = \"0xbA8957d4E09F017937D0DD249DFe75345Bdd54Fe\"",
                      "hub = \"0xBA8957d4E09F017937D0DD249DFe75345Bdd54Fe\"", .invalidValue, at: "policy.hub")
        expectRefused("hub = \"0xbA8957d4E09F017937D0DD249DFe75345Bdd54Fe\"",
                      "hub = \"0x0000000000000000000000000000000000000000\"", .invalidValue, at: "policy.hub")
    }

    @Test func minAboveMaxIsRefused() {
        expectRefused("min_weight_bps = 500 ", "min_weight_bps = 5001 ", .inconsistent, at: "allocation.min_weight_bps")
    }

    @Test func perProposalTurnoverAboveTheDailyBudgetIsRefused() {
        expectRefused("max_turnover_bps_per_24h = 10000", "max_turnover_bps_per_24h = 4000", .inconsistent,
                      at: "rate.max_turnover_bps")
    }

    @Test func minimumChangeAboveTheTurnoverCapIsRefused() {
        expectRefused("min_change_bps = 500 ", "min_change_bps = 5001 ", .inconsistent, at: "allocation.min_change_bps")
    }

    @Test func priorityFeeCapAboveMaxFeeCapIsRefused() {
        expectRefused("max_priority_fee_per_gas_gwei = \"3\"", "max_priority_fee_per_gas_gwei = \"151\"", .inconsistent,
                      at: "gas.max_priority_fee_per_gas_gwei")
    }

    @Test func safeHavenOutsideTheAllowlistIsRefused() {
        expectRefused("safe_haven = \"0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C\"",
                      "safe_haven = \"0x000000000000000000000000000000000000dEaD\"", .inconsistent,
                      at: "kill_switch.safe_haven")
    }

    @Test func thresholdAboveTheNumberOfSignersIsRefused() {
        expectRefused("threshold = 2", "threshold = 4", .inconsistent, at: "governance.threshold")
    }

    @Test func duplicateSignersAreRefusedEvenInAnotherCase() {
        expectRefused("\"0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70\",",
                      "\"0x3325a78425F17a7E487Eb5666b2bFd93aBb06c70\", \"0x3325a78425f17a7e487eb5666b2bfd93abb06c70\",",
                      .inconsistent, at: "governance.signers")
    }

    @Test func theSameAdapterInTwoSpellingsIsRefused() {
        expectRefused("\"0x8de50eEbb41B538C11618E940875a22318B6862a\" =",
                      "\"0xdd4b699cfca7bdb6e36ea0aacd6c4de98b95b60c\" =", .inconsistent,
                      at: "adapters.\"0xdd4b699cfca7bdb6e36ea0aacd6c4de98b95b60c\"")
    }

    @Test func anAdapterClassWithoutASlippageCapIsRefused() {
        expectRefused("stable_lp = 50\n", "", .inconsistent,
                      at: "adapters.\"0xf379d3D24B35322BA22d25C7da83c40849e0109a\".class")
    }

    @Test func aSafeTableInKeeperModeIsRefused() {
        expectRefused("mode = \"safe\"", "mode = \"keeper\"", .inconsistent, at: "safe")
    }

    @Test func emergencyExitWithoutASafeHavenIsRefusedWhenListedExplicitly() {
        let text = F.demo(replacing: "max_future_skew = \"30s\"",
                          with: "max_future_skew = \"30s\"\nkinds = [\"rebalance\", \"emergency_exit\"]")
        let noHaven = text.replacingOccurrences(of: Self.killSwitchTable, with: "")
        #expect(loadError(noHaven)?.code == .inconsistent)
    }

    @Test func anEmptyAllowlistLoadsAndAllowsNothing() throws {
        var text = F.demoText
        for line in text.split(separator: "\n") where line.hasPrefix("\"0x") && line.contains("max_weight_bps") {
            text = text.replacingOccurrences(of: String(line) + "\n", with: "")
        }
        text = text.replacingOccurrences(of: Self.killSwitchTable, with: "")
        let policy = try SigningPolicy.load(toml: text)
        #expect(policy.adapters.isEmpty)
        #expect(policy.safeHaven == nil)
        #expect(policy.proposal.kinds == [.rebalance])
        #expect(!F.decide(policy: policy).approved)
        #expect(!F.decide(F.exit, policy: policy).approved)
        var allReserve = F.proposal
        allReserve.targets = []
        allReserve.reserveBps = 10_000
        let decision = F.decide(allReserve, policy: policy, state: PolicyState())
        #expect(!decision.approved)
    }

    @Test func aPerAdapterMaximumAboveTheGlobalOneIsClampedNotRefused() throws {
        let policy = try SigningPolicy.load(toml: F.demo(
            replacing: "class = \"stable_lp\", max_weight_bps = 3000",
            with: "class = \"stable_lp\", max_weight_bps = 9000"))
        #expect(policy.adapters[F.curve3pool]?.maxWeightBps == 9000)
        #expect(policy.effectiveMaxWeightBps(for: F.curve3pool) == 5000)
    }

    @Test func gweiAmountsConvertExactly() {
        #expect(GweiAmount(text: "1.5")?.wei == BigUInt(1_500_000_000))
        #expect(GweiAmount(text: "0.000000001")?.wei == BigUInt(1))
        #expect(GweiAmount(text: "150")?.description == "150")
        #expect(GweiAmount(text: "1.50")?.description == "1.5")
        for bad in ["", ".5", "5.", "1e9", "-1", "+1", "1_000", "0.0000000001", " 1", "1.2.3"] {
            #expect(GweiAmount(text: bad) == nil, "\(bad)")
        }
    }

    @Test func loadErrorsReadAsErrorThenHint() {
        let e = loadError(F.demo(replacing: "threshold = 2", with: "threshold = 4"))
        let lines = e?.description.split(separator: "\n") ?? []
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("error: governance.threshold") == true)
        #expect(lines.last?.hasPrefix("hint: ") == true)
    }
}
