import ApplianceCore
import Foundation
import SigningPolicy
import TestSupport
import Testing
import Wire

/// Issue 7, fault tests: a wall clock that jumps backwards cannot shorten a cooldown. The engine decides on
/// max(wall clock, last decision time), kept in the database, so an approval made while the clock is behind is
/// recorded no earlier than the one before it, and the cooldown after it is measured from there.
@Suite struct ClockFaultTests {
    private func decision(_ outcome: DecisionEngine.Outcome) throws -> DecisionResponse {
        guard case .decision(let response, _) = outcome else { throw TestFailure("expected a decision: \(outcome)") }
        return response
    }

    /// After the exit everything sits in the safe haven (Aave V3 USDC); this moves 4,500 bps out of it again.
    static func awayFromTheSafeHaven(id: String, at: Timestamp) -> Proposal {
        DemoProposals.rebalance(id: id, at: at, targets: [.init(adapter: DemoProposals.aaveUSDC, weightBps: 5_000),
                                                          .init(adapter: DemoProposals.aaveUSDT, weightBps: 4_500)],
                                reserveBps: 500)
    }

    @Test func anExitApprovedWhileTheClockIsBehindDoesNotBackdateTheCooldown() throws {
        // The demo policy with the 24 h turnover budget opened, so that only the cooldown can refuse.
        let text = try EngineFixture.demoPolicyText().replacingOccurrences(
            of: "max_turnover_bps_per_24h = 10000", with: "max_turnover_bps_per_24h = 100000")
        let f = try EngineFixture(policyText: text)
        defer { f.remove() }
        let start = f.clock.now
        let first = try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "r1", at: start))))
        #expect(first.isApproved)
        // The wall clock steps back 30 h. An emergency exit (exempt from the cooldown) is approved meanwhile; were
        // it stamped with the wall clock, the last approval would look 30 h old once the clock is put right.
        f.clock.set(start - Duration(seconds: 30 * 3_600))
        let exit = try decision(f.engine.submit(.propose(DemoProposals.emergencyExit(id: "x1", at: start))))
        #expect(exit.isApproved, "\(exit.reasons)")
        #expect(try f.engine.state.lastApproval()?.decidedAt == start)
        // The clock is put right, one hour after the first approval: the cooldown (6 h) still holds.
        f.clock.set(start + Duration(seconds: 3_600))
        let early = try decision(f.engine.submit(.propose(Self.awayFromTheSafeHaven(id: "r2", at: f.clock.now))))
        #expect(early.reasons.map(\.code) == [.cooldownActive])
        f.clock.set(start + Duration(seconds: 6 * 3_600))
        let due = try decision(f.engine.submit(.propose(Self.awayFromTheSafeHaven(id: "r3", at: f.clock.now))))
        #expect(due.isApproved, "\(due.reasons)")
    }

    @Test func theDecisionClockSurvivesARestartWithTheWallClockBehind() throws {
        let f = try EngineFixture()
        defer { f.remove() }
        let start = f.clock.now
        #expect(try decision(f.engine.submit(.propose(DemoProposals.rebalance(id: "r1", at: start)))).isApproved)
        // A new engine on the same database (a restart) whose wall clock is a day behind.
        let behind = ManualClock(start - Duration(seconds: 86_400))
        let restarted = try DecisionEngine(databasePath: f.layout.database,
                                           keys: .init(keeper: f.keeper, audit: f.auditSigner),
                                           clock: behind.function)
        let early = try decision(restarted.submit(.propose(DemoProposals.rebalance(id: "r2", at: start, step: 1))))
        #expect(early.reasons.map(\.code) == [.cooldownActive])
        guard case .status(let status) = restarted.submit(.status) else { throw TestFailure("no status") }
        #expect(status.lastRebalanceAt == start)
    }
}
