import Foundation
import Testing
import TestSupport

/// `appliance bench --json` (the pipeline benchmark, `bench`'s default subcommand) prints the pinned keys of
/// DESIGN.md's "Machine-readable outputs". No assertion on speed: tests never judge wall-clock time.
@Suite struct BenchCommandTests {
    @Test func benchJSONHasThePinnedKeysWithPositiveValues() throws {
        let appliance = try #require(BuiltProducts.executable(named: "appliance"), "build the appliance first")
        let result = try CommandResult.run(appliance, ["bench", "--seconds", "0.5", "--clients", "2", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 1, "one JSON object on one line: \(result.standardOutput)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        let json = try #require(object as? [String: Any])
        for key in ["hsm_raw_sign_per_s", "approved_per_s", "rejected_per_s"] {
            let value = try #require(json[key] as? NSNumber, "missing \(key)")
            #expect(value.doubleValue > 0, "\(key) = \(value)")
        }
        let latency = try #require(json["latency_ms"] as? [String: Any], "missing latency_ms")
        for key in ["p50", "p99"] {
            let value = try #require(latency[key] as? NSNumber, "missing latency_ms.\(key)")
            #expect(value.doubleValue > 0, "latency_ms.\(key) = \(value)")
        }
        let p50 = try #require((latency["p50"] as? NSNumber)?.doubleValue)
        let p99 = try #require((latency["p99"] as? NSNumber)?.doubleValue)
        #expect(p50 <= p99)
    }

    @Test func benchRejectsAnUnknownMode() throws {
        let appliance = try #require(BuiltProducts.executable(named: "appliance"), "build the appliance first")
        let result = try CommandResult.run(appliance, ["bench", "--mode", "multisig", "--json"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("--mode must be keeper or safe"))
        #expect(result.standardOutput.isEmpty)
    }
}
