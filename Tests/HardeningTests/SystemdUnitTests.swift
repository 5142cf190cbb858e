import Foundation
import TestSupport
import Testing

/// Issue 7, acceptance 1: `systemd-analyze security --offline=true` on the shipped units. The appliance's overall
/// exposure must be at most 0.5; the planner's (which needs the network) is held at its measured level so that a
/// loosened unit fails here.
@Suite struct SystemdUnitTests {
    static let hardening = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../hardening").standardizedFileURL.path

    /// The overall exposure `systemd-analyze security --offline=true UNIT` reports, and its whole output.
    static func exposure(of unit: String) throws -> (value: Double, report: String) {
        let analyze = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        let result = try CommandResult.run(analyze, ["security", "--offline=true", "--no-pager",
                                                     hardening + "/" + unit])
        let pattern = try NSRegularExpression(pattern: "Overall exposure level for \\S+: ([0-9.]+)")
        let text = result.standardOutput + result.standardError
        guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text), let value = Double(text[range])
        else {
            throw TestFailure("no overall exposure in systemd-analyze's output (exit \(result.status)): \(text)")
        }
        return (value, text)
    }

    @Test func applianceUnitExposureIsAtMostHalf() throws {
        let (value, report) = try Self.exposure(of: "appliance.service")
        print("systemd-analyze security --offline=true hardening/appliance.service: \(value)")
        #expect(value <= 0.5, "\(report)")
    }

    @Test func plannerUnitExposureStaysAtItsMeasuredLevel() throws {
        let (value, report) = try Self.exposure(of: "planner.service")
        print("systemd-analyze security --offline=true hardening/planner.service: \(value)")
        #expect(value <= 1.3, "\(report)")
    }

    @Test func applianceUnitKeepsTheIssuesSettings() throws {
        let unit = try String(contentsOfFile: Self.hardening + "/appliance.service", encoding: .utf8)
        let lines = Set(unit.split(separator: "\n").map { String($0) })
        for setting in ["PrivateNetwork=yes", "RestrictAddressFamilies=AF_UNIX", "ProtectSystem=strict",
                        "NoNewPrivileges=yes", "CapabilityBoundingSet=", "MemoryDenyWriteExecute=yes",
                        "SystemCallFilter=@system-service", "StateDirectory=rebalancer",
                        "RuntimeDirectory=rebalancer", "LoadCredential=pin:/etc/rebalancer/pin",
                        "User=rebalancer-appliance", "LimitCORE=0"] {
            #expect(lines.contains(setting), "appliance.service lacks \(setting)")
        }
        #expect(unit.contains("--pin-credential pin"))
        let planner = try String(contentsOfFile: Self.hardening + "/planner.service", encoding: .utf8)
        #expect(planner.contains("User=rebalancer-planner"))
    }
}
