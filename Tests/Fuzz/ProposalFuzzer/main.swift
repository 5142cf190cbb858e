import FuzzSupport
import SigningPolicy
import Wire

// fuzz-proposal: one frame's payload, as the appliance reads it (strict JSON, then the request and proposal
// decoders), and the policy evaluation a decoded proposal goes on to. Checks, beyond "no crash":
// - JSON that parses, written compactly, parses to the same value, and writing is deterministic;
// - decoding the bytes and decoding their parsed value agree (same request, or same error code);
// - a decoded request re-encodes to a payload that decodes to the same request;
// - every proposal evaluates against the demo policy (two states, two clocks) with every rule reporting and the
//   approval consistent with the reasons.

private let demoPolicy: SigningPolicy = {
    do { return try SigningPolicy.load(toml: RepositoryFile.text("policy/demo.toml")) } catch {
        fatalError("policy/demo.toml does not load: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let payload = Array(UnsafeBufferPointer(start: data, count: size))

    let parsed: JSONValue
    do { parsed = try JSONParser.parse(payload) } catch {
        invariant(error.code == .malformedJSON || error.code == .duplicateKey, "parser threw \(error.code)")
        guard case .failure(let decodeError) = Result(catching: { () throws(WireError) in
            try Request.decode(payload)
        }) else { fatalError("a payload the parser refuses decoded as a request") }
        invariant(decodeError.code == error.code, "request decoding reports \(decodeError.code), parser \(error.code)")
        return 0
    }
    let compact = parsed.serializedBytes()
    invariant((try? JSONParser.parse(compact)) == parsed, "compact JSON does not parse back to the same value")
    invariant(parsed.serializedBytes() == compact, "serialisation is not deterministic")

    let fromBytes = Result { () throws(WireError) in try Request.decode(payload) }
    let fromValue = Result { () throws(WireError) in try Request.decode(json: parsed) }
    switch (fromBytes, fromValue) {
    case (.success(let a), .success(let b)):
        invariant(a == b, "decoding bytes and parsed value disagree")
        invariant((try? Request.decode(a.encoded())) == a, "request does not survive re-encoding")
        if case .propose(let proposal) = a { evaluate(proposal) }
    case (.failure(let a), .failure(let b)):
        invariant(a.code == b.code, "decoding bytes fails with \(a.code), parsed value with \(b.code)")
    default:
        fatalError("decoding bytes and parsed value disagree on success")
    }
    return 0
}

/// The decision for a wire-valid proposal: total, every rule reporting, approved exactly when no reason is given.
private func evaluate(_ proposal: Proposal) {
    let previous = PolicyState(
        lastApproved: .init(targets: proposal.targets, reserveBps: proposal.reserveBps),
        lastRebalanceAt: proposal.createdAt - Duration(seconds: 3_600),
        recentApprovals: [.init(decidedAt: proposal.createdAt - Duration(seconds: 3_600), turnoverBps: 4_000)])
    for state in [PolicyState(), previous] {
        for delay in [0, 300] as [Int64] {
            let now = proposal.createdAt + Duration(seconds: delay)
            let decision = PolicyEvaluator.evaluate(proposal: proposal, policy: demoPolicy, state: state, now: now)
            invariant(decision.rules.count == PolicyEvaluator.standardRules.count, "a rule did not report")
            invariant(decision.approved == decision.reasons.isEmpty, "approval disagrees with the reasons")
            invariant(decision.approved == decision.rules.allSatisfy(\.passed), "approval disagrees with the rules")
        }
    }
}

#if !FUZZING
@main
enum Replay {
    static func main() { CorpusReplay.run(fuzz) }
}
#endif
