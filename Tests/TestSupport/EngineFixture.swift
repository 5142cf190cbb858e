import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy

/// A decision engine on a fresh state database in a temporary directory, signing with the process's throwaway
/// SoftHSM token, with the demo policy installed and a manual clock.
public struct EngineFixture: Sendable {
    public let directory: String
    public let layout: StateLayout
    public let engine: DecisionEngine
    public let clock: ManualClock
    public let policy: SigningPolicy
    public let policyText: String
    public let keeper: HSMSigner
    public let auditSigner: HSMSigner

    private static let counter = UniqueCounter()

    /// The repository's `policy/` directory.
    public static var policyDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policy").path
    }

    /// The demo policy's text, optionally switched to keeper mode (drops `[safe]`).
    public static func demoPolicyText(mode: SigningPolicy.Mode = .safe) throws -> String {
        let text = try String(contentsOfFile: policyDirectory + "/demo.toml", encoding: .utf8)
        guard mode == .keeper else { return text }
        var out: [Substring] = []
        var inSafe = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { inSafe = line.hasPrefix("[safe]") }
            if inSafe { continue }
            out.append(line.hasPrefix("mode = \"safe\"") ? "mode = \"keeper\"" : line)
        }
        return out.joined(separator: "\n")
    }

    public init(mode: SigningPolicy.Mode = .safe, policyText: String? = nil, checkpointInterval: Int64 = 256,
                clock: ManualClock = ManualClock()) throws {
        let token = try ThrowawayToken.shared()
        keeper = try token.signer(label: "keeper")
        auditSigner = try token.signer(label: "audit")
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("engine-\(getpid())-\(Self.counter.next())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        layout = StateLayout(directory: directory)
        self.clock = clock
        let text = try policyText ?? Self.demoPolicyText(mode: mode)
        self.policyText = text
        policy = try SigningPolicy.load(toml: text)
        engine = try DecisionEngine(
            databasePath: layout.database, keys: .init(keeper: keeper, audit: auditSigner),
            checkpointInterval: checkpointInterval, clock: clock.function)
        try engine.state.installPolicy(.init(
            version: policy.version, sha256: PolicyDigest.sha256Hex(Array(text.utf8)), toml: text,
            installedAt: clock.now, effectiveAt: clock.now, signatures: "[]"))
    }

    /// Removes the directory.
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
