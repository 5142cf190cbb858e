import FuzzSupport
import SigningPolicy
import Wire

// fuzz-policy: a policy file as `appliance policy check|activate` reads it (bytes → UTF-8 text → TOML → checked
// policy), and the same text as a policy test case (`appliance policy test`). Checks, beyond "no crash":
// - a policy that loads loads again to an equal value, and compared with itself neither loosens nor tightens;
// - compared with the demo policy, every key tightened one way is loosened the other way;
// - the demo proposals evaluate under it (empty and busy state) with every rule reporting;
// - a test case that parses runs against the demo policy, every rule reporting.

private let demoPolicy: SigningPolicy = {
    do { return try SigningPolicy.load(toml: RepositoryFile.text("policy/demo.toml")) } catch {
        fatalError("policy/demo.toml does not load: \(error)")
    }
}()

private let demoProposals: [Proposal] = ["01-rebalance", "02-rebalance-again", "03-unknown-adapter",
                                         "04-emergency-exit"].map { name in
    do { return try Proposal(json: JSONParser.parse(Array(RepositoryFile.text("scripts/demo/\(name).json").utf8))) }
    catch { fatalError("scripts/demo/\(name).json is not a proposal: \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    if let policy = try? SigningPolicy.load(toml: text) {
        invariant((try? SigningPolicy.load(toml: text)) == policy, "loading the same text twice differs")
        let same = PolicyComparison(from: policy, to: policy)
        invariant(same.loosened.isEmpty && same.tightened.isEmpty, "a policy compared with itself changed: \(same)")
        for (a, b) in [(demoPolicy, policy), (policy, demoPolicy)] {
            let forward = PolicyComparison(from: a, to: b), backward = PolicyComparison(from: b, to: a)
            invariant(Set(forward.tightened.map(\.key)).isSubset(of: backward.loosened.map(\.key)),
                      "a key tightened one way is not loosened the other way")
        }
        evaluate(policy)
    }

    if let testCase = try? PolicyTestCase.parse(toml: text) {
        let outcome = testCase.run(policy: demoPolicy)
        let decision = outcome.decision
        invariant(decision.rules.count == PolicyEvaluator.standardRules.count, "a rule did not report")
        invariant(decision.approved == decision.reasons.isEmpty, "approval disagrees with the reasons")
    }
    return 0
}

/// The demo proposals under `policy`: every rule reports, and approval agrees with the reasons.
private func evaluate(_ policy: SigningPolicy) {
    for proposal in demoProposals {
        let busy = PolicyState(
            lastApproved: .init(targets: demoProposals[0].targets, reserveBps: demoProposals[0].reserveBps),
            lastRebalanceAt: proposal.createdAt - Duration(seconds: 600),
            recentApprovals: [.init(decidedAt: proposal.createdAt - Duration(seconds: 600), turnoverBps: 5_000)],
            killSwitchEngaged: proposal.kind == .emergencyExit)
        for state in [PolicyState(), busy] {
            let decision = PolicyEvaluator.evaluate(
                proposal: proposal, policy: policy, state: state, now: proposal.createdAt + Duration(seconds: 5))
            invariant(decision.rules.count == PolicyEvaluator.standardRules.count, "a rule did not report")
            invariant(decision.approved == decision.reasons.isEmpty, "approval disagrees with the reasons")
        }
    }
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
