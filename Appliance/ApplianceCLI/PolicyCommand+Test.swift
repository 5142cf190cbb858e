import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

extension PolicyCommand {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every policy test case in a directory.",
            discussion: """
                Each *.toml file in DIR is one case (policy/RULES.md describes the format): a policy (relative to \
                the case file), a state, a clock, a proposal and the decision and reason codes it must get. \
                Prints PASS or FAIL per case, the reason codes the cases cover, and a summary line \
                `N passed, M failed`. Exits 1 if any case fails or DIR holds no case.

                Example: appliance policy test policy/tests
                """)

        @Argument(help: ArgumentHelp("The directory of case files.", valueName: "DIR"))
        var directory: String

        @Flag(name: .long, help: "Print the results as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting { try runCases() }
        }

        private func runCases() throws {
            let base = URL(fileURLWithPath: directory).standardizedFileURL
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: base.path)
                    .filter { $0.hasSuffix(".toml") }.sorted()
            } catch {
                throw CommandFailure("cannot list \(directory)", hint: "pass a directory of policy test case files")
            }
            var policies: [String: Result<SigningPolicy, PolicyLoadError>] = [:]
            var results: [JSONValue] = []
            var passed = 0, failed = 0
            var covered = Set<ReasonCode>()
            for name in names {
                let file = base.appendingPathComponent(name)
                var caseName = name
                var diff: [String] = []
                do {
                    let text = String(decoding: try PolicyInputs.bytes(of: file.path, what: "the case"), as: UTF8.self)
                    let testCase = try PolicyTestCase.parse(toml: text)
                    caseName = testCase.name
                    let policyPath = URL(fileURLWithPath: testCase.policyPath, relativeTo: file.deletingLastPathComponent())
                        .standardizedFileURL.path
                    if policies[policyPath] == nil {
                        let bytes = try PolicyInputs.bytes(of: policyPath, what: "the case's policy")
                        policies[policyPath] = Result { () throws(PolicyLoadError) in
                            try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self))
                        }
                    }
                    let outcome = testCase.run(policy: try policies[policyPath]!.get())
                    diff = outcome.diff
                    covered.formUnion(outcome.decision.codes)
                } catch let error as PolicyLoadError {
                    diff = ["cannot load: \(error.keyPath.isEmpty ? "" : error.keyPath + ": ")\(error.message)"]
                } catch let error as CommandFailure {
                    diff = ["cannot load: \(error.message)"]
                }
                if diff.isEmpty { passed += 1 } else { failed += 1 }
                results.append(.object([
                    "file": .string(name), "name": .string(caseName), "passed": .bool(diff.isEmpty),
                    "diff": .array(diff.map(JSONValue.string)),
                ]))
                if !json {
                    print("\(diff.isEmpty ? "PASS" : "FAIL")  \(name)  \(caseName)")
                    for line in diff { print("      \(line)") }
                }
            }
            let missing = ReasonCode.allCases.filter { !covered.contains($0) }.map(\.rawValue)
            if json {
                PolicyInputs.printJSON(.object([
                    "cases": .array(results), "passed": .integer(passed), "failed": .integer(failed),
                    "codes_covered": .array(ReasonCode.allCases.filter(covered.contains).map { .string($0.rawValue) }),
                    "codes_missing": .array(missing.map(JSONValue.string)),
                ]))
            } else {
                print("reason codes covered: \(covered.count) of \(ReasonCode.allCases.count)"
                      + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))"))
                print("\(passed) passed, \(failed) failed")
            }
            if names.isEmpty {
                throw CommandFailure("\(directory) holds no *.toml case files", hint: "pass the directory of case files")
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
