import Allocation
import BigInt
import Backtest
import Ethereum
import Foundation
import SigningPolicy
import Wire

/// The planner's live loop, one cycle at a time: refresh the data, forecast, score risk, decide, submit to the
/// appliance, and act on its decision (record an approval; back off after a rejection; engage the kill switch
/// and exit when the risk engine says so).
///
/// The appliance is the authority: the planner pre-checks its proposal's shape against its copy of the policy,
/// but the rate limits (cooldown, 24 h windows) are the appliance's to judge. A rejection sets a back-off that
/// every later cycle honours, so a rejected proposal is never resubmitted in a loop.
public final class LiveLoop {
    public let configuration: LiveConfiguration
    public let store: PlannerStateStore
    public let metrics: PlannerMetrics
    public let gasSource: any GasSource
    /// The real clock: proposals' `created_at` and the back-off use it, whatever the market time.
    private let clock: @Sendable () -> Timestamp
    private let startedAt: Timestamp
    /// The decide step: the backtested optimizer by default (one instance for the whole run: strategies keep state).
    private var strategy: any AllocationStrategy
    /// The panel's markets of the last cycle (for naming targets in reports).
    private var markets: [MarketInfo] = []

    public init(configuration: LiveConfiguration, store: PlannerStateStore, metrics: PlannerMetrics,
                gasSource: any GasSource, strategy: any AllocationStrategy = YieldOptimizer(),
                clock: @escaping @Sendable () -> Timestamp) {
        self.configuration = configuration
        self.store = store
        self.metrics = metrics
        self.gasSource = gasSource
        self.clock = clock
        self.startedAt = clock()
        self.strategy = strategy
    }

    /// Runs one cycle and returns its report; the report is also recorded. Throws only when the cycle could
    /// not be recorded at all (the state store failing).
    public func runCycle() throws -> CycleReport {
        let began = DispatchTime.now()
        let now = clock()
        let marketTime = configuration.replayFrom.map { $0 + (now - startedAt) }
        var report = CycleReport(startedAt: now, marketTime: marketTime ?? now)
        metrics.increment("planner_cycles_total")
        do {
            let view = try MarketView.load(directory: configuration.dataDirectory, policy: configuration.policy,
                                           asOf: marketTime)
            markets = view.panel.markets
            report.marketTime = view.marketTime
            report.cycle = try store.beginCycle(startedAt: now, marketTime: view.marketTime)
            try cycle(view: view, now: now, report: &report)
        } catch let error as LiveError {
            report.action = .error
            report.message = error.message
            metrics.increment("planner_cycle_errors_total")
            if error.code == .state { throw error }
        } catch {
            report.action = .error
            report.message = "\(error)"
            metrics.increment("planner_cycle_errors_total")
        }
        report.cycleMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - began.uptimeNanoseconds) / 1e6
        metrics.set("planner_last_cycle_duration_seconds", report.cycleMilliseconds / 1_000)
        if report.cycle > 0 {
            try store.finishCycle(report.cycle, finishedAt: clock(), action: report.action.rawValue,
                                  report: report.json)
        }
        return report
    }

    private func cycle(view: MarketView, now: Timestamp, report: inout CycleReport) throws {
        let policy = configuration.policy
        let panel = view.panel
        let markets = panel.markets
        // Forecast and risk.
        let forecast = YieldForecast().forecast(panel, step: view.step)
        for (m, market) in markets.enumerated() { report.forecasts[market.id] = forecast[m] }
        let last = try store.lastApproved()
        let lastWeights = Self.weights(of: last, markets: markets)
        let held = lastWeights.heldMarkets.map { markets[$0].id }
        let risk = RiskAssessment.assess(view: view, facts: configuration.facts, heldMarkets: held)
        for score in risk.scores {
            report.riskScores[score.protocolID] = RiskAssessment.rounded(score.total, 1)
            metrics.set("planner_risk_score", labels: [("protocol", score.protocolID)], score.total)
        }
        report.exitReasons = risk.exitReasons

        // The appliance's view of the world.
        let status = try fetchStatus()
        guard status.policySHA256 == configuration.policySHA256 else {
            throw LiveError(.policyMismatch, "the appliance runs policy \(status.policySHA256.prefix(16))…, the "
                            + "planner's --policy is \(configuration.policySHA256.prefix(16))…")
        }
        report.killSwitchEngaged = status.killSwitch.engaged
        let gas = try gasSource.recentFees(view: view)
        let chooser = GasFeeChooser(priorityFeeWei: gas.priorityFeeWei, maxFeeCapWei: Double(policy.gas.maxFeePerGas),
                                    priorityFeeCapWei: Double(policy.gas.maxPriorityFeePerGas))
        let fees = chooser.fees(recentBaseFeesWei: gas.baseFeesWei)
        report.gasSource = gas.source

        if risk.demandsExit {
            if !status.killSwitch.engaged {
                let reason = String(("planner: " + risk.exitReasons.joined(separator: "; ")).prefix(256))
                let after = try engageKillSwitch(reason: reason)
                try store.recordKillSwitchEngagement(at: clock(), reason: reason, cycle: report.cycle)
                metrics.increment("planner_kill_switch_engagements_total")
                report.killSwitchEngaged = after.killSwitch.engaged
                report.killSwitchEngagedNow = true
            }
            if let last, last.kind == .emergencyExit {
                report.action = .hold
                report.message = "already exited to the safe haven; waiting for the governance release"
                return
            }
            if let wait = try activeBackoff(.emergencyExit, now: now) {
                report.action = .backoff
                report.backoffUntil = wait.until
                report.message = "the last exit was rejected (\(wait.reason)); not resubmitting before the "
                    + "back-off ends"
                return
            }
            guard let haven = policy.safeHaven else {
                report.action = .hold
                report.message = "the policy has no safe haven: no emergency exit is possible"
                return
            }
            let reserve = max(policy.allocation.minReserveBps, last?.reserveBps ?? policy.allocation.minReserveBps)
            // An exit goes out at the caps when no fee fits them: it only reduces risk.
            let exitFees = fees ?? GasFeeChooser.Fees(
                maxFeePerGasWei: Double(policy.gas.maxFeePerGas),
                maxPriorityFeePerGasWei: Double(policy.gas.maxPriorityFeePerGas),
                expectedPriceWei: Double(policy.gas.maxFeePerGas))
            let proposal = makeProposal(
                kind: .emergencyExit, targets: [Proposal.Target(adapter: haven, weightBps: 10_000 - reserve)],
                reserveBps: reserve, previous: last?.targets ?? [], fees: exitFees,
                adaptersTouched: max(1, lastWeights.heldMarkets.count), gainBps: 0, view: view, risk: risk, now: now,
                model: "risk-engine", trigger: risk.exitReasons.first)
            try submit(proposal, now: now, status: status, report: &report)
            return
        }

        if status.killSwitch.engaged {
            report.action = .hold
            report.message = "the kill switch is engaged (\(status.killSwitch.reason ?? "no reason given")); only "
                + "the governance quorum can release it"
            return
        }
        if let wait = try activeBackoff(.rebalance, now: now) {
            report.action = .backoff
            report.backoffUntil = wait.until
            report.message = "backing off after a rejection (\(wait.reason)); nothing sent"
            return
        }

        // Decide: the strategy sees the panel up to now and the allocation the appliance last approved.
        let constraints = AllocationConstraints(policy: policy, markets: markets)
        let eth = panel.ethPriceUSD[view.step]
        let capital = configuration.capitalUSD
        let gasModel = configuration.gasModel
        let expectedPrice = fees?.expectedPriceWei
        // The rate limits are the appliance's to judge: the strategy is not told when the last rebalance was (in a
        // replay its clock is the market's, not the appliance's). A proposal inside the cooldown is rejected with
        // COOLDOWN_ACTIVE, and the back-off then holds every later cycle until the cooldown ends.
        let context = AllocationContext(
            panel: panel, step: view.step, current: lastWeights, lastApproved: lastWeights, constraints: constraints,
            lastRebalanceAt: nil, portfolioValueUSD: capital,
            gasCostBps: { touched in
                guard let price = expectedPrice else { return Int.max / 4 }
                let usd = Double(gasModel.gasUsed(adaptersTouched: touched)) * price * 1e-18 * eth
                return Int((usd / capital * 10_000).rounded(.up))
            },
            minEdgeBps: policy.economics.minEdgeBps, killSwitchEngaged: status.killSwitch.engaged,
            turnover24hBps: status.turnover24hBps, rebalances24h: status.rebalances24h,
            tradeCostBps: Self.tradeCost(panel: panel, step: view.step, from: lastWeights, capitalUSD: capital,
                                         gasModel: gasModel, slippage: configuration.slippage,
                                         gasPriceWei: expectedPrice))
        guard case .rebalance(let wish, let claim) = strategy.decide(context) else {
            report.action = .hold
            report.message = "\(strategy.name): hold (no move clears gas plus the policy's edge)"
            return
        }
        guard let fees else {
            report.action = .hold
            report.message = "no gas fee fits the policy's caps now: waiting for cheaper blocks"
            return
        }
        let available = constraints.project(wish.fractions) { context.isAvailable($0) }
        let target = constraints.limitingTurnover(from: lastWeights, toward: available)
        guard target.turnoverBps(from: lastWeights) >= policy.allocation.minChangeBps else {
            report.action = .hold
            report.message = "\(strategy.name): the move is below the policy's minimum change"
            return
        }
        let proposal = makeProposal(
            kind: .rebalance,
            targets: target.heldMarkets.map {
                Proposal.Target(adapter: markets[$0].adapter, weightBps: target.bps[$0])
            },
            reserveBps: target.reserveBps, previous: last?.targets ?? [], fees: fees,
            adaptersTouched: max(1, context.adaptersTouched(by: target)),
            gainBps: claim ?? context.trailingGainBps(of: target), view: view, risk: risk, now: now,
            model: strategy.name, trigger: nil)
        // Pre-check the proposal's shape with the planner's copy of the policy. Rate limits and freshness are the
        // appliance's to judge (it holds the authoritative state); a failure here is a planner bug: never sent.
        let precheckState = PolicyState(lastApproved: last.map {
            PolicyState.ApprovedAllocation(targets: $0.targets, reserveBps: $0.reserveBps)
        })
        let precheck = PolicyEvaluator.evaluate(proposal: proposal, policy: policy, state: precheckState, now: now)
        let shapeFailures = precheck.reasons.filter { !Self.applianceJudged.contains($0.code) }
        guard shapeFailures.isEmpty else {
            throw LiveError(.precheck, "the planner's own policy check rejects its proposal: "
                            + shapeFailures.map(\.code.rawValue).joined(separator: ", "))
        }
        try submit(proposal, now: now, status: status, report: &report)
    }

    /// Codes the pre-check leaves to the appliance (they depend on state only the appliance holds for certain).
    static let applianceJudged: Set<ReasonCode> = [
        .cooldownActive, .rebalanceLimit24h, .turnoverLimit24h, .killSwitchEngaged, .duplicateID,
        .proposalExpired, .proposalFromFuture,
    ]

    /// The one-off cost of moving from `current` to a target in bps of the capital, gas and slippage on every leg,
    /// as the backtest's simulator estimates it (so the optimizer weighs a move live as it did in the backtest).
    static func tradeCost(panel: MarketPanel, step: Int, from current: TargetWeights, capitalUSD: Double,
                          gasModel: GasModel, slippage: SlippageModel, gasPriceWei: Double?)
        -> @Sendable (TargetWeights) -> Double
    {
        let quotes = (0..<panel.marketCount).map { panel.quote(step: step, market: $0) }
        let classes = panel.markets.map(\.adapterClass)
        let eth = panel.ethPriceUSD[step]
        return { target in
            var usd = 0.0
            var touched = 0
            for m in target.bps.indices where target.bps[m] != current.bps[m] {
                touched += 1
                let delta = Double(target.bps[m] - current.bps[m]) / 10_000 * capitalUSD
                usd += abs(delta) * slippage.fraction(
                    adapterClass: classes[m], amountUSD: abs(delta), isWithdrawal: delta < 0,
                    tvlUSD: quotes[m].tvlUSD, availableLiquidityUSD: quotes[m].availableLiquidityUSD)
            }
            if let gasPriceWei {
                usd += Double(gasModel.gasUsed(adaptersTouched: max(1, touched))) * gasPriceWei * 1e-18 * eth
            }
            return usd / capitalUSD * 10_000
        }
    }

    /// The last approved allocation as weights over the panel's markets (adapters outside them count as reserve).
    static func weights(of approved: PlannerStateStore.SubmittedProposal?, markets: [MarketInfo]) -> TargetWeights {
        guard let approved else { return .allReserve(marketCount: markets.count) }
        let bps = markets.map { market in
            approved.targets.filter { $0.adapter == market.adapter }.reduce(0) { $0 + $1.weightBps }
        }
        return TargetWeights(bps: bps, reserveBps: 10_000 - bps.reduce(0, +))
    }

    private func makeProposal(kind: Proposal.Kind, targets: [Proposal.Target], reserveBps: Int,
                              previous: [Proposal.Target], fees: GasFeeChooser.Fees, adaptersTouched: Int,
                              gainBps: Int, view: MarketView, risk: RiskAssessment, now: Timestamp, model: String,
                              trigger: String?) -> Proposal {
        let policy = configuration.policy
        let panel = view.panel
        let gasUsed = configuration.gasModel.gasUsed(adaptersTouched: adaptersTouched)
        let gasLimit = max(UInt64(gasUsed), min(policy.gas.maxGasLimit, UInt64(Double(gasUsed) * 1.25)))
        let eth = panel.ethPriceUSD[view.step]
        let gasCostBps = Int((Double(gasUsed) * fees.expectedPriceWei * 1e-18 * eth / configuration.capitalUSD
                              * 10_000).rounded(.up))
        let involved = Set((targets + previous).map(\.adapter)).compactMap { policy.adapters[$0]?.adapterClass }
        let slippage = involved.compactMap { policy.slippage[$0] }.min() ?? policy.smallestSlippageCapBps
        // The risk claim: the worse of the protocol's 5-factor score and the backtest's market score.
        let riskClaim = targets.compactMap { target -> Int? in
            guard let m = panel.markets.firstIndex(where: { $0.adapter == target.adapter }) else { return nil }
            let market = MarketRiskScore.score(panel.quote(step: view.step, market: m),
                                               adapterClass: panel.markets[m].adapterClass.rawValue)
            let protocolScore = risk.score(market: panel.markets[m].id).map { Int($0.total.rounded(.up)) } ?? 0
            return max(market, protocolScore)
        }.max() ?? 0
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        var evidence = [Proposal.Evidence(key: "model", value: model),
                        Proposal.Evidence(key: "data_through", value: view.marketTime.rfc3339)]
        if let trigger { evidence.append(Proposal.Evidence(key: "trigger", value: String(trigger.prefix(200)))) }
        return Proposal(
            id: "plan-\(now.seconds)-\(kind == .rebalance ? "r" : "x")-\(suffix)", createdAt: now,
            chainID: policy.chainID, kind: kind,
            targets: targets.sorted { $0.adapter.checksummed < $1.adapter.checksummed }, reserveBps: reserveBps,
            maxSlippageBps: slippage,
            gas: Proposal.Gas(maxFeePerGas: BigUInt(UInt64(fees.maxFeePerGasWei)),
                              maxPriorityFeePerGas: BigUInt(UInt64(fees.maxPriorityFeePerGasWei)), gasLimit: gasLimit),
            expected: Proposal.Expected(apyGainBps: gainBps, gasCostBps: gasCostBps, maxRiskScore: riskClaim),
            evidence: evidence)
    }

    private func submit(_ proposal: Proposal, now: Timestamp, status: StatusResponse,
                        report: inout CycleReport) throws {
        report.kind = proposal.kind
        report.proposalID = proposal.id
        report.reserveBps = proposal.reserveBps
        report.expected = proposal.expected
        report.gas = proposal.gas
        report.targets = proposal.targets.map { target in
            (adapter: target.adapter.checksummed, name: configuration.policy.adapters[target.adapter]?.name ?? "?",
             market: markets.first { $0.adapter == target.adapter }?.id ?? "", weightBps: target.weightBps)
        }
        try store.recordSubmission(proposal, cycle: report.cycle,
                                   body: Request.propose(proposal).jsonValue.serialized(), at: now)
        let sent = DispatchTime.now()
        let response: Response
        do {
            response = try ApplianceClient.send(.propose(proposal), socketPath: configuration.socketPath,
                                                timeoutMilliseconds: configuration.timeoutMilliseconds)
        } catch {
            throw LiveError(.appliance, "no decision from the appliance at \(configuration.socketPath): "
                            + "\(error.message) (proposal \(proposal.id) is recorded as sent without an answer)")
        }
        report.applianceMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - sent.uptimeNanoseconds) / 1e6
        guard case .decision(let decision) = response else {
            if case .error(let error) = response {
                throw LiveError(.appliance, "the appliance answered \(error.code.rawValue): \(error.message)")
            }
            throw LiveError(.appliance, "the appliance answered a proposal with a status")
        }
        let decidedAt = clock()
        report.auditSeq = decision.audit.seq
        report.auditHash = Hex.encode(decision.audit.hash)
        report.reasons = decision.reasons
        metrics.set("planner_last_decision_timestamp_seconds", Double(decidedAt.seconds))
        let decisionText = decision.isApproved ? "approved" : "rejected"
        metrics.increment("planner_proposals_total", labels: [("kind", proposal.kind.rawValue),
                                                              ("decision", decisionText)])
        switch decision.outcome {
        case .approved(let signed):
            report.action = .approved
            report.message = proposal.kind == .rebalance ? "rebalance approved" : "emergency exit approved"
            switch signed {
            case .keeper(let keeper):
                report.transactionHash = Hex.encode(keeper.transactionHash)
                report.rawTransaction = Hex.encode(keeper.rawTransaction)
            case .safe(let bundle):
                report.bundlePath = try writeBundle(bundle, seq: decision.audit.seq, id: proposal.id)
            }
            try store.recordDecision(proposalID: proposal.id, decision: decisionText, reasonCodes: [],
                                     auditSeq: decision.audit.seq, auditHash: report.auditHash,
                                     transactionHash: report.transactionHash, bundlePath: report.bundlePath,
                                     at: decidedAt)
            try store.setBackoff(nil, for: proposal.kind)
            metrics.set("planner_backoff_until_timestamp_seconds", 0)
            metrics.reset("planner_target_weight_bps")
            for target in proposal.targets {
                metrics.set("planner_target_weight_bps", labels: [
                    ("adapter", target.adapter.checksummed),
                    ("name", configuration.policy.adapters[target.adapter]?.name ?? ""),
                ], Double(target.weightBps))
            }
            metrics.set("planner_reserve_bps", Double(proposal.reserveBps))
        case .rejected:
            report.action = .rejected
            let codes = decision.reasons.map(\.code)
            report.message = "rejected: " + codes.map(\.rawValue).joined(separator: ", ")
            for code in codes { metrics.increment("planner_rejections_total", labels: [("code", code.rawValue)]) }
            try store.recordDecision(proposalID: proposal.id, decision: decisionText,
                                     reasonCodes: codes.map(\.rawValue), auditSeq: decision.audit.seq,
                                     auditHash: report.auditHash, transactionHash: nil, bundlePath: nil,
                                     at: decidedAt)
            // The appliance's own last_rebalance_at says when a cooldown ends; ask again (the rejection may have
            // raced an approval by someone else).
            let lastRebalance = (try? fetchStatus())?.lastRebalanceAt ?? status.lastRebalanceAt
            let backoff = configuration.backoff.after(
                rejection: codes, now: decidedAt, lastRebalanceAt: lastRebalance,
                cooldown: configuration.policy.rate.cooldown, previous: try store.backoff(for: proposal.kind))
            try store.setBackoff(backoff, for: proposal.kind)
            report.backoffUntil = backoff.until
            metrics.set("planner_backoff_until_timestamp_seconds", Double(backoff.until.seconds))
        }
    }

    private func activeBackoff(_ kind: Proposal.Kind, now: Timestamp) throws -> PlannerStateStore.Backoff? {
        guard let backoff = try store.backoff(for: kind), backoff.until > now else { return nil }
        return backoff
    }

    private func fetchStatus() throws -> StatusResponse {
        let response: Response
        do {
            response = try ApplianceClient.send(.status, socketPath: configuration.socketPath,
                                                timeoutMilliseconds: configuration.timeoutMilliseconds)
        } catch {
            throw LiveError(.appliance, error.message)
        }
        switch response {
        case .status(let status): return status
        case .error(let error): throw LiveError(.appliance, "status: \(error.code.rawValue): \(error.message)")
        case .decision: throw LiveError(.appliance, "the appliance answered status with a decision")
        }
    }

    private func engageKillSwitch(reason: String) throws -> StatusResponse {
        let response: Response
        do {
            response = try ApplianceClient.send(.engageKillSwitch(reason: reason), socketPath: configuration.socketPath,
                                                timeoutMilliseconds: configuration.timeoutMilliseconds)
        } catch {
            throw LiveError(.appliance, "cannot engage the kill switch: \(error.message)")
        }
        guard case .status(let status) = response, status.killSwitch.engaged else {
            throw LiveError(.appliance,
                            "the appliance did not confirm the kill switch: \(response.jsonValue.serialized())")
        }
        return status
    }

    /// Writes the planner's copy of an approved bundle to `STATE/bundles/<seq>-<id>.json`.
    private func writeBundle(_ bundle: JSONValue, seq: UInt64, id: String) throws -> String {
        let directory = configuration.stateDirectory + "/bundles"
        let path = "\(directory)/\(seq)-\(id).json"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(bundle.serializedBytes()).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LiveError(.state, "cannot write the bundle \(path): \(error)")
        }
        return path
    }
}
