import Foundation
import TestSupport

/// A real appliance for the live loop's tests: `appliance init` on a SoftHSM2 token under a fresh temporary
/// directory with the demo policy, `appliance serve` on a Unix socket in it, and a planner state directory.
final class LiveFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var appliance: URL? { BuiltProducts.executable(named: "appliance") }
    static var planner: URL? { BuiltProducts.executable(named: "planner") }
    static var binariesBuilt: Bool { appliance != nil && planner != nil }
    static var policy: String { packageRoot.appendingPathComponent("policy/demo.toml").path }
    static var data: String { packageRoot.appendingPathComponent("Planner/history").path }
    static var facts: String { packageRoot.appendingPathComponent("Planner/Risk/protocol-facts.json").path }

    let root: String
    var applianceState: String { root + "/appliance" }
    var socket: String { root + "/a.sock" }
    var plannerState: String { root + "/planner" }
    private var server: ServedAppliance?

    init(policyText: String? = nil) throws {
        var template = Array("/tmp/rb-live-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ServedAppliance.StartFailure(description: "mkdtemp failed") }
        root = String(cString: made)
        var policyPath = Self.policy
        if let policyText {
            policyPath = root + "/policy.toml"
            try policyText.write(toFile: policyPath, atomically: true, encoding: .utf8)
        }
        let appliance = try Self.require(Self.appliance, "appliance")
        let initResult = try CommandResult.run(appliance, ["init", "--state", applianceState, "--policy", policyPath])
        guard initResult.status == 0 else {
            throw ServedAppliance.StartFailure(description: "init failed: \(initResult.standardError)")
        }
        let server = try ServedAppliance(appliance: appliance, arguments: [
            "serve", "--state", applianceState, "--socket", socket,
        ])
        self.server = server
        try server.waitForSocket(socket)
    }

    /// `planner run` with the fixture's socket, state, data, policy and facts, plus `arguments`.
    func run(_ arguments: [String], policy: String = LiveFixture.policy) throws -> CommandResult {
        try CommandResult.run(Self.require(Self.planner, "planner"), [
            "run", "--socket", socket, "--state", plannerState, "--data", Self.data, "--policy", policy,
            "--facts", Self.facts,
        ] + arguments)
    }

    /// The appliance's `status`, as JSON.
    func status() throws -> [String: Any] {
        let result = try CommandResult.run(Self.require(Self.appliance, "appliance"),
                                           ["status", "--socket", socket, "--json"])
        return try Self.object(result.standardOutput)
    }

    func stop() {
        server?.kill()
        server = nil
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw ServedAppliance.StartFailure(description: "not a JSON object: \(text)")
        }
        return object
    }

    /// The JSON objects printed one per line.
    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try object(String($0)) }
    }

    private static func require(_ url: URL?, _ name: String) throws -> URL {
        guard let url else { throw ServedAppliance.StartFailure(description: "\(name) is not built") }
        return url
    }
}
