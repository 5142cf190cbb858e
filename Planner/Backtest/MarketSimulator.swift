import Allocation
import BigInt
import Ethereum
import Foundation
import SigningPolicy

/// The backtest's market: steps a portfolio through a `MarketPanel` under the signing policy.
///
/// Use: build it over a panel and a policy, then repeatedly read `context` (hand it to a strategy) and call
/// `advance(_:)` with the strategy's decision until `isFinished`. Each `advance` at step `t`:
///
/// 1. the kill-switch guard (if configured) checks the held markets; on a condition it engages the kill switch
///    and proposes an `emergency_exit` to the policy's safe haven, which replaces the strategy's decision;
/// 2. otherwise a `.rebalance` target is kept to available markets, shortened to the per-proposal turnover cap
///    (`AllocationConstraints.limitingTurnover`), given fees by the `GasFeeChooser` (no fee within the caps: no
///    proposal) and turned into a real `Proposal` (adapters, reserve, `max_slippage_bps` = the smallest cap of the
///    classes involved, gas fields, the claimed gain, gas cost in bps and risk score);
/// 3. the `PolicyGate` evaluates it with the real `PolicyEvaluator` at `times[t]`; a rejection counts and nothing
///    moves;
/// 4. an approved proposal trades at step `t`'s prices: gas = gas used × the day's gas price (at most the
///    proposal's max fee) × the ETH price; slippage per leg from the `SlippageModel` (sells against available
///    liquidity, deposits against TVL); a leg beyond `max_slippage_bps` reverts the transaction (gas paid, nothing
///    moves), as the hub's slippage check would;
/// 5. holdings accrue their market's supply APY for the step and are valued at step `t + 1`'s coin prices (a
///    de-peg moves them); the reserve is cash at $1 and earns nothing.
///
/// The RL environment uses the same loop: its reward comes from the `StepOutcome`.
public struct MarketSimulator: Sendable {
    public let panel: MarketPanel
    public let policy: SigningPolicy
    public let configuration: SimulatorConfiguration
    public let constraints: AllocationConstraints
    /// The step the next `advance` decides at.
    public private(set) var step: Int
    /// The last step a decision can be made at is `endStep - 1` (its period ends at `endStep`).
    public let endStep: Int
    public private(set) var gate: PolicyGate
    /// The allocation the policy last approved (what turnover is measured against).
    public private(set) var lastApproved: TargetWeights

    public private(set) var units: [Double]
    public private(set) var reserveUSD: Double
    private var lastPrice: [Double]
    private var highUtilizationSteps: [Int]
    private var stepsSinceCondition = 0
    /// An approved emergency exit reverted: it is proposed again at the next step.
    private var exitPending = false
    private let havenMarket: Int?
    private let feeChooser: GasFeeChooser
    private let slippageCapByClass: [SigningPolicy.AdapterClass: Int]

    // Counters for the metrics.
    public private(set) var gasSpentUSD = 0.0
    public private(set) var slippageSpentUSD = 0.0
    public private(set) var executedRebalances = 0
    public private(set) var turnoverFraction = 0.0
    public private(set) var revertedTransactions = 0
    public private(set) var killSwitchEngagements = 0
    public private(set) var emergencyExitsApproved = 0
    public private(set) var emergencyExitsRejected = 0

    /// A simulator over steps `start..<end` of `panel` (`end` defaults to the last step), starting with
    /// `configuration.capitalUSD` all in the reserve, as the appliance starts before its first approval.
    public init(panel: MarketPanel, policy: SigningPolicy, configuration: SimulatorConfiguration = .init(),
                start: Int = 0, end: Int? = nil) {
        self.panel = panel
        self.policy = policy
        self.configuration = configuration
        // The planner keeps no more positions than one emergency exit can unwind (with the haven) within the
        // policy's gas limit: otherwise the exit the kill switch needs would be refused (GAS_LIMIT_ABOVE_CAP).
        var constraints = AllocationConstraints(policy: policy, markets: panel.markets)
        let gas = configuration.gas
        let exitable = (Int(policy.gas.maxGasLimit) - gas.baseGas) / max(1, gas.gasPerAdapter)
        constraints.maxTargets = max(1, min(constraints.maxTargets, exitable - 1))
        self.constraints = constraints
        self.step = max(0, start)
        self.endStep = min(end ?? panel.stepCount - 1, panel.stepCount - 1)
        self.gate = PolicyGate(policy: policy)
        self.lastApproved = .allReserve(marketCount: panel.marketCount)
        self.units = Array(repeating: 0, count: panel.marketCount)
        self.reserveUSD = configuration.capitalUSD
        self.lastPrice = Array(repeating: 1, count: panel.marketCount)
        self.highUtilizationSteps = Array(repeating: 0, count: panel.marketCount)
        self.havenMarket = policy.safeHaven.flatMap { haven in panel.markets.firstIndex { $0.adapter == haven } }
        self.feeChooser = GasFeeChooser(priorityFeeWei: configuration.priorityFeeWei,
                                        maxFeeCapWei: Double(policy.gas.maxFeePerGas),
                                        priorityFeeCapWei: Double(policy.gas.maxPriorityFeePerGas))
        self.slippageCapByClass = policy.slippage
        if step < panel.stepCount { refreshPrices(at: step) }
    }

    public var isFinished: Bool { step >= endStep }
    public var killSwitchEngaged: Bool { gate.state.killSwitchEngaged }
    public var now: Timestamp { panel.times[step] }

    /// The portfolio's value in USD at the current step's prices.
    public var valueUSD: Double {
        var total = reserveUSD
        for m in units.indices where units[m] != 0 { total += units[m] * lastPrice[m] }
        return total
    }

    /// The weights of current value (after drift), in bps summing to 10000.
    public var currentWeights: TargetWeights {
        let value = valueUSD
        guard value > 0 else { return .allReserve(marketCount: panel.marketCount) }
        let bps = units.indices.map { Int((units[$0] * lastPrice[$0] / value * 10_000).rounded()) }
        return TargetWeights(bps: bps, reserveBps: 10_000 - bps.reduce(0, +))
    }

    /// What a strategy may see now.
    public var context: AllocationContext {
        let value = valueUSD
        let expected = expectedFees()?.expectedPriceWei
        let eth = panel.ethPriceUSD[step]
        let gasModel = configuration.gas
        let window = gate.state.approvals(inWindowEndingAt: now)
        let quotes = (0..<panel.marketCount).map { panel.quote(step: step, market: $0) }
        let classes = panel.markets.map(\.adapterClass)
        let slippage = configuration.slippage
        let approved = lastApproved
        let held = units.indices.map { units[$0] * lastPrice[$0] }
        let gasPerAdapter = gasModel.gasPerAdapter, baseGas = gasModel.baseGas
        return AllocationContext(
            panel: panel, step: step, current: currentWeights, lastApproved: lastApproved, constraints: constraints,
            lastRebalanceAt: gate.state.lastRebalanceAt, portfolioValueUSD: value,
            gasCostBps: { touched in
                guard let price = expected, value > 0 else { return Int.max / 4 }
                let usd = Double(gasModel.gasUsed(adaptersTouched: touched)) * price * 1e-18 * eth
                return Int((usd / value * 10_000).rounded(.up))
            },
            minEdgeBps: policy.economics.minEdgeBps, killSwitchEngaged: gate.state.killSwitchEngaged,
            turnover24hBps: window.reduce(0) { $0 + $1.turnoverBps }, rebalances24h: window.count,
            tradeCostBps: { target in
                guard value > 0 else { return .infinity }
                var usd = 0.0
                var touched = 0
                for m in target.bps.indices where target.bps[m] != approved.bps[m] {
                    touched += 1
                    let delta = Double(target.bps[m]) / 10_000 * value - held[m]
                    usd += abs(delta) * slippage.fraction(
                        adapterClass: classes[m], amountUSD: abs(delta), isWithdrawal: delta < 0,
                        tvlUSD: quotes[m].tvlUSD, availableLiquidityUSD: quotes[m].availableLiquidityUSD)
                }
                if let price = expected {
                    usd += Double(baseGas + gasPerAdapter * max(1, touched)) * price * 1e-18 * eth
                }
                return usd / value * 10_000
            })
    }

    /// Runs step `step` with `decision` and moves to the next step.
    public mutating func advance(_ decision: AllocationDecision) -> StepOutcome {
        precondition(!isFinished, "advance past the end of the simulation")
        let t = step
        let valueBefore = valueUSD
        var outcome = StepOutcome(step: t, valueBeforeUSD: valueBefore, valueAfterUSD: valueBefore, gasUSD: 0,
                                  slippageUSD: 0, proposalKind: nil, approved: false, reasons: [], turnoverBps: 0,
                                  reverted: false, event: nil, weights: currentWeights)
        if let exit = killSwitchCheck(&outcome) {
            propose(kind: .emergencyExit, target: exit, gainBps: 0, into: &outcome)
        } else if case .rebalance(let wish, let claim) = decision {
            let available = constraints.project(wish.fractions) { panel.quote(step: t, market: $0).isAvailable }
            let target = limitingAdapters(constraints.limitingTurnover(from: lastApproved, toward: available))
            let gain = claim ?? context.trailingGainBps(of: target)
            propose(kind: .rebalance, target: target, gainBps: gain, into: &outcome)
        }
        accrue(from: t)
        step = t + 1
        outcome.valueAfterUSD = valueUSD
        outcome.weights = currentWeights
        return outcome
    }

    // MARK: - Proposals

    /// How many adapters one rebalance may touch and stay within the policy's gas limit.
    public var maxAdaptersPerRebalance: Int {
        let gas = configuration.gas
        return max(1, (Int(policy.gas.maxGasLimit) - gas.baseGas) / max(1, gas.gasPerAdapter))
    }

    /// `target`, or a first part of the move to it that touches at most `maxAdaptersPerRebalance` adapters
    /// (withdrawals first, then the largest deposits); the rest follows in later proposals.
    func limitingAdapters(_ target: TargetWeights) -> TargetWeights {
        let previous = lastApproved
        let changed = target.bps.indices.filter { target.bps[$0] != previous.bps[$0] }
        let limit = maxAdaptersPerRebalance
        guard changed.count > limit else { return target }
        let ordered = changed.sorted { a, b in
            let da = target.bps[a] - previous.bps[a], db = target.bps[b] - previous.bps[b]
            if (da < 0) != (db < 0) { return da < 0 }
            return abs(da) > abs(db)
        }
        var chosen = Array(ordered.prefix(limit))
        while !chosen.isEmpty {
            var bps = previous.bps
            for m in chosen { bps[m] = target.bps[m] }
            let partial = TargetWeights(bps: bps, reserveBps: 10_000 - bps.reduce(0, +))
            if constraints.violations(partial).isEmpty { return partial }
            chosen.removeLast()
        }
        return previous
    }

    private func expectedFees() -> GasFeeChooser.Fees? {
        let days = max(1, configuration.gasLookbackDays)
        let recent = (1...days).map { panel.gasPriceWei[max(0, step - $0 * panel.stepsPerDay)] }
        return feeChooser.fees(recentBaseFeesWei: recent)
    }

    private mutating func propose(kind: Proposal.Kind, target: TargetWeights, gainBps: Int,
                                  into outcome: inout StepOutcome) {
        let fees: GasFeeChooser.Fees
        if let chosen = expectedFees() {
            fees = chosen
        } else if kind == .emergencyExit {
            // An exit goes out at the caps: it only reduces risk, and waiting for cheap gas is not an option.
            let cap = Double(policy.gas.maxFeePerGas)
            fees = GasFeeChooser.Fees(maxFeePerGasWei: cap, maxPriorityFeePerGasWei:
                                        Double(policy.gas.maxPriorityFeePerGas), expectedPriceWei: cap)
        } else {
            return  // no fee fits the caps: the planner waits
        }
        let touched = max(1, target.bps.indices.filter { target.bps[$0] != lastApproved.bps[$0] }.count)
        let gasUsed = configuration.gas.gasUsed(adaptersTouched: touched)
        let gasLimit = min(policy.gas.maxGasLimit, UInt64(Double(gasUsed) * 1.25))
        let value = valueUSD
        let ethUSD = panel.ethPriceUSD[step]
        let gasCostBps = value > 0
            ? Int((Double(gasUsed) * fees.expectedPriceWei * 1e-18 * ethUSD / value * 10_000).rounded(.up)) : 0
        let involved = Set(target.heldMarkets + lastApproved.heldMarkets).map { panel.markets[$0].adapterClass }
        let slippageCap = involved.compactMap { slippageCapByClass[$0] }.min() ?? policy.smallestSlippageCapBps
        let risk = target.heldMarkets.map {
            MarketRiskScore.score(panel.quote(step: step, market: $0),
                                  adapterClass: panel.markets[$0].adapterClass.rawValue)
        }.max() ?? 0
        let proposal = Proposal(
            id: "bt-\(step)-\(kind.rawValue)", createdAt: now, chainID: policy.chainID, kind: kind,
            targets: target.heldMarkets.map { Proposal.Target(adapter: panel.markets[$0].adapter,
                                                              weightBps: target.bps[$0]) },
            reserveBps: target.reserveBps, maxSlippageBps: slippageCap,
            gas: Proposal.Gas(maxFeePerGas: BigUInt(UInt64(fees.maxFeePerGasWei)),
                              maxPriorityFeePerGas: BigUInt(UInt64(fees.maxPriorityFeePerGasWei)),
                              gasLimit: gasUsed <= Int(gasLimit) ? gasLimit : UInt64(gasUsed)),
            expected: Proposal.Expected(apyGainBps: gainBps, gasCostBps: gasCostBps, maxRiskScore: risk),
            evidence: [Proposal.Evidence(key: "source", value: "backtest")])
        let decision = gate.decide(proposal, now: now)
        outcome.proposalKind = kind
        outcome.approved = decision.approved
        outcome.reasons = decision.codes
        if kind == .emergencyExit {
            if decision.approved { emergencyExitsApproved += 1 } else { emergencyExitsRejected += 1 }
        }
        guard decision.approved else { return }
        let previous = lastApproved
        lastApproved = target
        execute(target, previous: previous, gasUsed: gasUsed, maxFeeWei: fees.maxFeePerGasWei,
                maxSlippageBps: slippageCap, into: &outcome)
        if kind == .emergencyExit { exitPending = outcome.reverted }
    }

    private mutating func execute(_ target: TargetWeights, previous: TargetWeights, gasUsed: Int, maxFeeWei: Double,
                                  maxSlippageBps: Int, into outcome: inout StepOutcome) {
        let price = min(maxFeeWei, panel.gasPriceWei[step])
        let gasUSD = Double(gasUsed) * price * 1e-18 * panel.ethPriceUSD[step]
        gasSpentUSD += gasUSD
        outcome.gasUSD = gasUSD
        let value = valueUSD
        let before = currentWeights
        // The hub moves only the adapters whose target weight changed; the others keep their (drifted) position.
        let changed = units.indices.filter { target.bps[$0] != previous.bps[$0] }
        var slippage = 0.0
        var reverted = false
        var newUnits = units
        for m in changed {
            let held = units[m] * lastPrice[m]
            let wanted = Double(target.bps[m]) / 10_000 * value
            let delta = wanted - held
            newUnits[m] = wanted / lastPrice[m]
            guard abs(delta) > 1e-9 else { continue }
            let q = panel.quote(step: step, market: m)
            let fraction = configuration.slippage.fraction(
                adapterClass: panel.markets[m].adapterClass, amountUSD: abs(delta), isWithdrawal: delta < 0,
                tvlUSD: q.tvlUSD, availableLiquidityUSD: q.availableLiquidityUSD)
            if fraction * 10_000 > Double(maxSlippageBps) { reverted = true }
            slippage += abs(delta) * fraction
        }
        if reverted {
            revertedTransactions += 1
            outcome.reverted = true
            reserveUSD -= gasUSD
            return
        }
        // Costs come out of the reserve (the vault pays gas and absorbs slippage on the amounts it moves).
        var invested = 0.0
        for m in units.indices { invested += newUnits[m] * lastPrice[m] }
        units = newUnits
        reserveUSD = value - invested - slippage - gasUSD
        let turnover = currentWeights.turnoverBps(from: before)
        slippageSpentUSD += slippage
        executedRebalances += 1
        turnoverFraction += Double(turnover) / 10_000
        outcome.slippageUSD = slippage
        outcome.turnoverBps = turnover
    }

    // MARK: - Kill switch

    /// Engages or releases the kill switch; returns the exit target when it has just been engaged.
    private mutating func killSwitchCheck(_ outcome: inout StepOutcome) -> TargetWeights? {
        guard let guardian = configuration.killSwitch else { return nil }
        for m in units.indices {
            highUtilizationSteps[m] = guardian.isHighUtilization(panel.quote(step: step, market: m))
                ? highUtilizationSteps[m] + 1 : 0
        }
        let held = units.indices.filter { units[$0] * lastPrice[$0] > 1 }
        var trigger: String?
        for m in held where trigger == nil {
            trigger = guardian.trigger(panel: panel, step: step, market: m,
                                       highUtilizationSteps: highUtilizationSteps[m])
        }
        let anyPeg = units.indices.contains {
            let q = panel.quote(step: step, market: $0)
            return q.isAvailable && guardian.condition.isMet(utilization: nil, tvl: 0, tvlDayAgo: nil,
                                                             lowestStablecoin: q.price)
        }
        if gate.state.killSwitchEngaged {
            if exitPending, let exit = exitTarget() {
                outcome.event = "emergency_exit retried at \(now)"
                return exit
            }
            stepsSinceCondition = trigger != nil || anyPeg ? 0 : stepsSinceCondition + 1
            if stepsSinceCondition >= max(1, guardian.releaseAfterHours * panel.stepsPerDay / 24) {
                gate.releaseKillSwitch()
                outcome.event = "kill switch released at \(now) (no condition for \(guardian.releaseAfterHours) h)"
            }
            return nil
        }
        guard let trigger else { return nil }
        gate.engageKillSwitch()
        killSwitchEngagements += 1
        stepsSinceCondition = 0
        outcome.event = "kill switch engaged at \(now): \(trigger)"
        guard let exit = exitTarget() else {
            outcome.event! += "; no safe haven market in the data to exit to"
            return nil
        }
        return exit
    }

    /// Everything but the reserve in the policy's safe haven; nil when the haven is not a market of the panel.
    private func exitTarget() -> TargetWeights? {
        guard let haven = havenMarket, panel.quote(step: step, market: haven).isAvailable else { return nil }
        let reserve = max(constraints.minReserveBps, min(10_000, currentWeights.reserveBps))
        var bps = Array(repeating: 0, count: panel.marketCount)
        bps[haven] = 10_000 - reserve
        return TargetWeights(bps: bps, reserveBps: reserve)
    }

    // MARK: - Accrual

    private mutating func refreshPrices(at t: Int) {
        for m in units.indices {
            let q = panel.quote(step: t, market: m)
            if q.isAvailable && q.price > 0 { lastPrice[m] = q.price }
        }
    }

    private mutating func accrue(from t: Int) {
        let years = Double(panel.times[t + 1].seconds - panel.times[t].seconds) / 31_536_000
        for m in units.indices where units[m] != 0 {
            let q = panel.quote(step: t, market: m)
            if q.isAvailable { units[m] *= exp(log1p(max(-0.99, q.supplyAPY)) * years) }
        }
        refreshPrices(at: t + 1)
    }
}
