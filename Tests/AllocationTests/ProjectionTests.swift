import Allocation
import Ethereum
import SigningPolicy
import TestSupport
import Testing

/// The projection onto the policy: whatever the wish, the result passes every allocation rule.
struct ProjectionTests {
    let constraints = AllocationConstraints(maxWeightBps: [5_000, 5_000, 3_000, 2_000, 5_000, 5_000, 5_000])

    @Test func randomWishesAlwaysProjectOntoValidAllocations() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            let count = 7 + random.next(upTo: 2)  // sometimes with a reserve wish
            let wish = (0..<count).map { _ in random.chance(30) ? 0 : Double(random.next(upTo: 1_000)) / 100 }
            let weights = constraints.project(wish)
            #expect(constraints.violations(weights).isEmpty, "\(wish) → \(weights)")
            #expect(weights.bps.allSatisfy { $0 % 500 == 0 } && weights.reserveBps % 500 == 0)
        }
    }

    @Test func allZeroWishIsAllReserve() {
        #expect(constraints.project([0, 0, 0, 0, 0, 0, 0]) == .allReserve(marketCount: 7))
        #expect(constraints.project([.nan, -1, .infinity, 0, 0, 0, 0]) == .allReserve(marketCount: 7))
    }

    @Test func concentratedWishIsCappedAndTheRestSpills() {
        let weights = constraints.project([1, 0, 0, 0, 0, 0, 0.01])
        #expect(weights.bps[0] == 5_000)
        #expect(weights.reserveBps >= 500)
        #expect(weights.totalBps == 10_000)
    }

    @Test func equalWishGivesNearlyEqualWeights() {
        let weights = constraints.project([1, 1, 1, 1, 1, 1, 1])
        #expect(weights.reserveBps == 500)
        #expect(weights.bps.allSatisfy { $0 == 1_000 || $0 == 1_500 })
    }

    @Test func unavailableMarketsGetNothing() {
        let weights = constraints.project([1, 1, 1, 1, 1, 1, 1]) { $0 != 2 }
        #expect(weights.bps[2] == 0)
        #expect(constraints.violations(weights).isEmpty)
    }

    @Test func fillPutsTheBestAtItsCapAndTheNextAfter() {
        let weights = constraints.fill(ranking: [3, 1, 0])
        #expect(weights.bps[3] == 2_000 && weights.bps[1] == 5_000 && weights.bps[0] == 2_500)
        #expect(weights.reserveBps == 500)
    }

    @Test func turnoverLimitShortensAMoveFromTheReserve() {
        let current = TargetWeights.allReserve(marketCount: 7)
        let target = constraints.fill(ranking: [0, 1])
        let limited = AllocationConstraints(maxWeightBps: constraints.maxWeightBps, maxTurnoverBps: 5_000)
            .limitingTurnover(from: current, toward: target)
        #expect(limited.turnoverBps(from: current) <= 5_000)
        #expect(limited.turnoverBps(from: current) >= 4_000)
        #expect(constraints.violations(limited).isEmpty)
    }

    @Test func turnoverAgreesWithThePolicyDefinition() throws {
        let adapters = try (1...7).map { try Address(bytes: [UInt8](repeating: UInt8($0), count: 20)) }
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let old = constraints.project((0..<7).map { _ in Double(random.next(upTo: 10)) })
            let new = constraints.project((0..<7).map { _ in Double(random.next(upTo: 10)) })
            let proposal = Proposal(
                id: "t", createdAt: Timestamp(seconds: 0), chainID: 1, kind: .rebalance,
                targets: new.heldMarkets.map { Proposal.Target(adapter: adapters[$0], weightBps: new.bps[$0]) },
                reserveBps: new.reserveBps, maxSlippageBps: 10,
                gas: Proposal.Gas(maxFeePerGas: 1, maxPriorityFeePerGas: 1, gasLimit: 1),
                expected: Proposal.Expected(apyGainBps: 0, gasCostBps: 0, maxRiskScore: 0))
            let previous = PolicyState.ApprovedAllocation(
                targets: old.heldMarkets.map { Proposal.Target(adapter: adapters[$0], weightBps: old.bps[$0]) },
                reserveBps: old.reserveBps)
            #expect(new.turnoverBps(from: old) == Turnover.bps(of: proposal, against: previous))
        }
    }
}
