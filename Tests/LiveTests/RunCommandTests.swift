import Foundation
import Live
import SigningPolicy
import TestSupport
import Testing

/// `planner run` against a real appliance (`appliance serve` on SoftHSM2, a real Unix socket).
@Suite(.serialized) struct RunCommandTests {
    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func onceIsApprovedThenCooldownRejectionBacksOffWithoutResubmitting() throws {
        let fixture = try LiveFixture()
        let first = try fixture.run(["--once", "--json"])
        #expect(first.status == 0, "\(first.standardError)")
        let approved = try LiveFixture.object(first.standardOutput)
        #expect(approved["action"] as? String == "approved")
        #expect(approved["decision"] as? String == "approved")
        #expect(approved["kind"] as? String == "rebalance")
        let bundle = try #require(approved["bundle_path"] as? String)
        let verify = try CommandResult.run(#require(LiveFixture.appliance), ["bundle", "verify", bundle])
        #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
        let status = try fixture.status()
        #expect(status["last_rebalance_at"] is String)

        let second = try fixture.run(["--once", "--json"])
        #expect(second.status == 3, "\(second.standardError)")
        let rejected = try LiveFixture.object(second.standardOutput)
        #expect(rejected["action"] as? String == "rejected")
        let codes = (rejected["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(codes.contains("COOLDOWN_ACTIVE"))
        // The back-off ends exactly when the 6 h cooldown does.
        let lastRebalance = try #require(Timestamp(rfc3339: status["last_rebalance_at"] as? String ?? ""))
        let until = try #require(Timestamp(rfc3339: rejected["backoff_until"] as? String ?? ""))
        #expect(until == lastRebalance + Duration(seconds: 6 * 3_600))

        // A third run within the back-off sends nothing: the appliance's audit log does not move.
        let seqBefore = (try fixture.status()["audit"] as? [String: Any])?["seq"] as? Int
        let third = try fixture.run(["--once", "--json"])
        #expect(third.status == 0, "\(third.standardError)")
        let held = try LiveFixture.object(third.standardOutput)
        #expect(held["action"] as? String == "backoff")
        #expect(held["proposal_id"] is NSNull)
        let seqAfter = (try fixture.status()["audit"] as? [String: Any])?["seq"] as? Int
        #expect(seqBefore != nil && seqBefore == seqAfter)

        let store = try PlannerStateStore(directory: fixture.plannerState)
        let proposals = try store.proposals()
        #expect(proposals.map(\.decision) == ["rejected", "approved"])
        #expect(try store.cycleCount() == 3)
        #expect(try store.backoff(for: .rebalance)?.until == until)
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func replayedDepegEngagesTheKillSwitchAndTheEmergencyExitIsApproved() throws {
        let fixture = try LiveFixture()
        let first = try fixture.run(["--once", "--json", "--as-of", "2023-03-01T12:00:00Z"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(try LiveFixture.object(first.standardOutput)["action"] as? String == "approved")

        let depeg = try fixture.run(["--once", "--json", "--as-of", "2023-03-11T06:00:00Z"])
        #expect(depeg.status == 0, "\(depeg.standardError)")
        let exit = try LiveFixture.object(depeg.standardOutput)
        let kill = try #require(exit["kill_switch"] as? [String: Any])
        #expect(kill["engaged_this_cycle"] as? Bool == true)
        #expect((kill["exit_reasons"] as? [String] ?? []).contains { $0.hasPrefix("USDC at 0.9") })
        #expect(exit["kind"] as? String == "emergency_exit")
        #expect(exit["action"] as? String == "approved")
        let status = try fixture.status()
        let switchState = try #require(status["kill_switch"] as? [String: Any])
        #expect(switchState["engaged"] as? Bool == true)
        #expect((switchState["reason"] as? String ?? "").hasPrefix("planner: USDC"))
        let bundle = try #require(exit["bundle_path"] as? String)
        let shown = try CommandResult.run(#require(LiveFixture.appliance), ["bundle", "show", bundle])
        #expect(shown.standardOutput.contains("emergencyExit"), "\(shown.standardOutput)")

        // Still de-pegged an hour later: already out, nothing more is sent.
        let again = try fixture.run(["--once", "--json", "--as-of", "2023-03-11T07:00:00Z"])
        #expect(try LiveFixture.object(again.standardOutput)["action"] as? String == "hold")
        #expect(try PlannerStateStore(directory: fixture.plannerState).killSwitchEngagementCount() == 1)
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func metricsAreScrapedOverHTTPWhileTheLoopRuns() throws {
        let fixture = try LiveFixture()
        let planner = try #require(LiveFixture.planner)
        let process = Process()
        process.executableURL = planner
        process.arguments = ["run", "--socket", fixture.socket, "--state", fixture.plannerState, "--data",
                             LiveFixture.data, "--policy", LiveFixture.policy, "--facts", LiveFixture.facts,
                             "--interval", "600", "--metrics-port", "0", "--json"]
        let out = URL(fileURLWithPath: fixture.root + "/run.out")
        let err = URL(fileURLWithPath: fixture.root + "/run.err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Wait for the first cycle's line and the port announcement.
        var port: Int?
        for _ in 0..<600 where port == nil || (try? String(contentsOf: out, encoding: .utf8))?.isEmpty != false {
            let text = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:") {
                port = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            usleep(100_000)
        }
        let announced = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
        let metricsPort = try #require(port, "no metrics port: \(announced)")
        let scrape = try HTTPGet.fetch(port: metricsPort, path: "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.headers.lowercased().contains("content-type: text/plain; version=0.0.4"))
        #expect(scrape.body.contains("planner_cycles_total 1\n"))
        #expect(scrape.body.contains("planner_proposals_total{kind=\"rebalance\",decision=\"approved\"} 1\n"))
        #expect(scrape.body.contains("# TYPE planner_target_weight_bps gauge"))
        #expect(scrape.body.contains("planner_target_weight_bps{adapter=\"0x"))
        #expect(scrape.body.contains("planner_kill_switch_engagements_total 0\n"))
        #expect(try HTTPGet.fetch(port: metricsPort, path: "/other").status == 404)

        process.terminate()
        for _ in 0..<100 where process.isRunning { usleep(100_000) }
        try #require(!process.isRunning, "the loop did not stop on SIGTERM")
        #expect(process.terminationStatus == 0)
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func badArgumentsFailClearlyAndLoseNothingRecorded() throws {
        let fixture = try LiveFixture()
        let planner = try #require(LiveFixture.planner)
        let missing = try CommandResult.run(planner, ["run", "--once"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("--socket"))

        let first = try fixture.run(["--once", "--json"])
        #expect(first.status == 0, "\(first.standardError)")

        let badDate = try fixture.run(["--once", "--as-of", "March 11"])
        #expect(badDate.status == 1)
        #expect(badDate.standardError.contains("error: --as-of March 11 is not a time"))
        #expect(badDate.standardError.contains("hint:"))

        let early = try fixture.run(["--once", "--as-of", "2010-01-01T00:00:00Z"])
        #expect(early.status == 1)
        #expect(early.standardError.contains("before the data's first hour"))

        fixture.stop()
        let unreachable = try fixture.run(["--once"])
        #expect(unreachable.status == 1)
        #expect(unreachable.standardError.contains("error: "))
        #expect(unreachable.standardError.contains("hint: is `appliance serve --socket"))

        // Nothing the failed runs did touched what was recorded before them.
        let store = try PlannerStateStore(directory: fixture.plannerState)
        #expect(try store.proposals().map(\.decision) == ["approved"])
        #expect(try store.lastApproved() != nil)
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func aPolicyOtherThanTheAppliancesIsRefusedBeforeAnythingIsSent() throws {
        let fixture = try LiveFixture()
        let wrongPolicy = fixture.root + "/other.toml"
        let text = try String(contentsOfFile: LiveFixture.policy, encoding: .utf8)
        try (text + "\n# the same rules, another file\n").write(toFile: wrongPolicy, atomically: true, encoding: .utf8)
        let result = try fixture.run(["--once"], policy: wrongPolicy)
        #expect(result.status == 1)
        #expect(result.standardError.contains("the appliance runs policy"))
        #expect(try PlannerStateStore(directory: fixture.plannerState).proposals().isEmpty)
    }
}
