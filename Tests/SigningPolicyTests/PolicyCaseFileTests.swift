import Foundation
import SigningPolicy
import Testing

/// Runs every case under `policy/tests` the way `appliance policy test policy/tests` will.
@Suite struct PolicyCaseFileTests {
    struct CaseFile: Sendable, CustomStringConvertible {
        let url: URL
        let text: String
        var description: String { url.lastPathComponent }
    }

    static func caseFiles() -> [CaseFile] {
        let directory = PolicyFixtures.policyDirectory.appendingPathComponent("tests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted().compactMap { name in
            let url = directory.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return CaseFile(url: url, text: text)
        }
    }

    @Test(arguments: caseFiles())
    func caseFileGetsItsExpectedDecision(_ file: CaseFile) throws {
        let testCase = try PolicyTestCase.parse(toml: file.text)
        let policyURL = file.url.deletingLastPathComponent().appendingPathComponent(testCase.policyPath)
        let policy = try SigningPolicy.load(toml: try String(contentsOf: policyURL, encoding: .utf8))
        let outcome = testCase.run(policy: policy)
        #expect(outcome.passed, "\(file): \(outcome.diff.joined(separator: "\n"))")
    }

    @Test func atLeastFortyCasesCoverEveryReasonCodeAndApprovals() throws {
        let cases = try Self.caseFiles().map { try PolicyTestCase.parse(toml: $0.text) }
        #expect(cases.count >= 40)
        let covered = cases.reduce(into: Set<ReasonCode>()) { $0.formUnion($1.expectation.codes) }
        #expect(covered == Set(ReasonCode.allCases), "missing: \(Set(ReasonCode.allCases).subtracting(covered))")
        #expect(cases.contains { $0.expectation.approved && $0.proposal.kind == .rebalance })
        #expect(cases.contains { $0.expectation.approved && $0.proposal.kind == .emergencyExit })
        #expect(Set(cases.map(\.name)).count == cases.count)
    }

    @Test func aCaseWithTheWrongExpectationFailsWithADiff() throws {
        guard let file = Self.caseFiles().first(where: { $0.text.contains("decision = \"approved\"") }) else {
            Issue.record("no approved case")
            return
        }
        let broken = file.text.replacingOccurrences(of: "decision = \"approved\"", with: "decision = \"rejected\"")
            .replacingOccurrences(of: "codes = []", with: "codes = [\"WRONG_CHAIN\"]")
        let testCase = try PolicyTestCase.parse(toml: broken)
        let outcome = testCase.run(policy: PolicyFixtures.demo)
        #expect(!outcome.passed)
        #expect(outcome.diff.first == "decision: expected rejected, got approved")
        #expect(outcome.diff.contains("codes: expected [WRONG_CHAIN], got []"))
    }

    @Test func caseFilesRefuseUnknownKeysAndInconsistentExpectations() {
        let minimal = """
            name = "x"
            policy = "../demo.toml"
            now = "2026-11-27T09:00:00Z"
            [proposal]
            id = "a"
            created_at = "2026-11-27T09:00:00Z"
            chain_id = 1
            kind = "rebalance"
            targets = []
            reserve_bps = 10000
            max_slippage_bps = 0
            gas = { max_fee_per_gas = "1", max_priority_fee_per_gas = "1", gas_limit = 21000 }
            expected = { apy_gain_bps = 0, gas_cost_bps = 0, max_risk_score = 0 }
            [expect]
            decision = "approved"
            codes = []
            """
        #expect((try? PolicyTestCase.parse(toml: minimal)) != nil)
        #expect(throws: PolicyLoadError.self) {
            try PolicyTestCase.parse(toml: minimal.replacingOccurrences(of: "chain_id = 1", with: "chain = 1"))
        }
        #expect(throws: PolicyLoadError.self) {
            try PolicyTestCase.parse(
                toml: minimal.replacingOccurrences(of: "codes = []", with: "codes = [\"WRONG_CHAIN\"]"))
        }
    }
}
