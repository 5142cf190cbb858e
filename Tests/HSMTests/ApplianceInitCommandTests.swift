import Foundation
import Testing
import TestSupport

@Suite("appliance init (command line)")
struct ApplianceInitCommandTests {
    private func appliance() throws -> URL {
        try #require(BuiltProducts.executable(named: "appliance"),
                     "build the appliance product first (swift build --build-tests builds it)")
    }

    private func temporaryState() throws -> String {
        let base = TestHSMEnvironment.directory + "/cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        return base + "/state"
    }

    private func addresses(_ result: CommandResult) throws -> (keeper: String, audit: String) {
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let keeper = try #require(object?["keeper_address"] as? String)
        let audit = try #require(object?["audit_address"] as? String)
        return (keeper, audit)
    }

    @Test func initTwiceCreatesAPrivateStateDirectoryAndKeepsTheSameAddresses() throws {
        let binary = try appliance()
        let state = try temporaryState()
        let first = try CommandResult.run(binary, ["init", "--state", state, "--json"])
        #expect(first.status == 0, "stderr: \(first.standardError)")
        let second = try CommandResult.run(binary, ["init", "--state", state, "--json"])
        #expect(second.status == 0, "stderr: \(second.standardError)")

        let mode = try FileManager.default.attributesOfItem(atPath: state)[.posixPermissions] as? Int
        #expect(mode == 0o700)
        let pinMode = try FileManager.default.attributesOfItem(atPath: state + "/pin")[.posixPermissions] as? Int
        #expect(pinMode == 0o600)
        let (keeper1, audit1) = try addresses(first)
        let (keeper2, audit2) = try addresses(second)
        #expect(keeper1 == keeper2)
        #expect(audit1 == audit2)
        #expect(keeper1 != audit1)
        #expect(keeper1.hasPrefix("0x") && keeper1.count == 42)

        let configuration = try String(contentsOfFile: state + "/appliance.json", encoding: .utf8)
        #expect(configuration.contains(keeper1))
    }

    @Test func initWithMissingModulePrintsErrorAndHintAndFails() throws {
        let binary = try appliance()
        let state = try temporaryState()
        let result = try CommandResult.run(binary, ["init", "--state", state, "--hsm-module", "/nonexistent/p11.so"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("error: no PKCS#11 module at /nonexistent/p11.so"))
        #expect(result.standardError.contains("hint: install softhsm2"))
        #expect(!FileManager.default.fileExists(atPath: state))
    }

    @Test func initUsesAGivenPINFileAndRefusesAMissingOne() throws {
        let binary = try appliance()
        let state = try temporaryState()
        let pinFile = state + "-pin"
        try Data("operator-pin-1234\n".utf8).write(to: URL(fileURLWithPath: pinFile))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pinFile)
        let result = try CommandResult.run(binary, ["init", "--state", state, "--pin-file", pinFile, "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: state + "/pin"))
        let configuration = try String(contentsOfFile: state + "/appliance.json", encoding: .utf8)
        #expect(configuration.contains(pinFile))

        let other = try temporaryState()
        let missing = try CommandResult.run(binary, ["init", "--state", other, "--pin-file", other + "-nope"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("error: cannot read the PIN file"))
        #expect(missing.standardError.contains("hint:"))
    }

    @Test func benchHSMOnAnInitialisedStatePrintsRawAndEthereumRatesAsJSON() throws {
        let binary = try appliance()
        let state = try temporaryState()
        #expect(try CommandResult.run(binary, ["init", "--state", state]).status == 0)
        let result = try CommandResult.run(binary, ["bench", "hsm", "--state", state, "--seconds", "0.2", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        for key in ["raw_sign_per_s", "eth_sign_per_s"] {
            let rates = try #require(object?[key] as? [String: Any], "missing \(key)")
            #expect(Set(rates.keys) == ["1", "2"])
            #expect((rates["1"] as? Int ?? 0) > 0 && (rates["2"] as? Int ?? 0) > 0)
        }
    }

    @Test func initRefusesAStateDirectoryOthersCanRead() throws {
        let binary = try appliance()
        let state = try temporaryState()
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let result = try CommandResult.run(binary, ["init", "--state", state])
        #expect(result.status != 0)
        #expect(result.standardError.contains("error:"))
        #expect(result.standardError.contains("hint: run `chmod 700"))
    }
}
