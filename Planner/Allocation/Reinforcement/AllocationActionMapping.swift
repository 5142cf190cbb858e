#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Allocation
import Learning

/// How the agent's action becomes a decision the policy accepts: the same mapping in training and in backtests.
///
/// The action a ∈ [−1, 1]^(markets + 1) (the last entry is the reserve) is a wish w = softmax(`temperature` · a),
/// projected onto the policy (`AllocationConstraints.project`: 5 % steps, 5 % minimum, 50 % maximum, reserve ≥ 5 %,
/// enabled and available markets only) and shortened to the turnover cap. The agent holds when the kill switch is
/// engaged, within the cooldown, when the move is under the policy's minimum change (the seed's "do nothing if
/// the change is < 5 %"), or when its trailing-APY gain does not clear gas plus the policy's edge (the policy
/// would reject it), or when it touches more than `maxAdaptersTouched` adapters (the backtest's gas model, 150,000
/// + 60,000 gas per adapter, passes the policy's 500,000 gas cap with at most 5).
public struct AllocationActionMapping: Sendable, Equatable {
    public var temperature: Double
    /// The most markets a target may hold (at most the policy's `max_targets`).
    public var maxHeld: Int
    /// The most adapters one rebalance may touch.
    public var maxAdaptersTouched: Int

    public init(temperature: Double = 3, maxHeld: Int = 4, maxAdaptersTouched: Int = 5) {
        self.temperature = temperature
        self.maxHeld = maxHeld
        self.maxAdaptersTouched = maxAdaptersTouched
    }

    /// The action space for `marketCount` markets plus the reserve.
    public static func actionSpace(marketCount: Int) -> ActionSpace {
        .box(low: Array(repeating: -1, count: marketCount + 1), high: Array(repeating: 1, count: marketCount + 1))
    }

    /// The wish (fractions per market, then the reserve) an action stands for.
    public func wish(_ action: [Double]) -> [Double] {
        let logits = action.map { min(max($0.isFinite ? $0 : 0, -1), 1) * temperature }
        let largest = logits.max() ?? 0
        let e = logits.map { exp($0 - largest) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }

    /// The policy-valid target for an action at `context`, before the hold checks.
    public func target(_ action: [Double], context: AllocationContext, enabled: [Bool]) -> TargetWeights {
        var constraints = context.constraints
        constraints.maxTargets = min(constraints.maxTargets, maxHeld)
        let wanted = constraints.project(wish(action)) { m in
            m < enabled.count && enabled[m] && context.isAvailable(m)
        }
        return constraints.limitingTurnover(from: context.lastApproved, toward: wanted)
    }

    /// The decision for an action at `context`.
    public func decision(_ action: [Double], context: AllocationContext, enabled: [Bool]) -> AllocationDecision {
        guard !context.killSwitchEngaged, context.isPastCooldown else { return .hold }
        let step = target(action, context: context, enabled: enabled)
        guard context.changesEnough(step), context.adaptersTouched(by: step) <= maxAdaptersTouched else { return .hold }
        guard context.clearsEdge(step, gainBps: context.trailingGainBps(of: step)) else { return .hold }
        return .rebalance(step, expectedAPYGainBps: nil)
    }
}
