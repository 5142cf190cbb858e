import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import TestSupport
import Wire

/// A real `ApplianceServer` on a real Unix socket, with a real `DecisionEngine` on a throwaway state directory
/// and the process's SoftHSM token: what the server tests talk to.
final class ServerFixture: Sendable {
    /// The fixed decision clock: proposals created at this instant are fresh.
    static let now = Timestamp(rfc3339: "2026-11-27T09:00:00Z")!

    /// The demo policy (Safe mode) from `policy/demo.toml`.
    static let demoPolicyText: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = root.appendingPathComponent("policy/demo.toml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "" }
        return text
    }()

    /// The demo policy switched to keeper mode (and without its `[safe]` table).
    static var keeperPolicyText: String {
        var out: [Substring] = []
        var inSafeTable = false
        for line in demoPolicyText.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("[") { inSafeTable = line.hasPrefix("[safe]") }
            if !inSafeTable { out.append(line.hasPrefix("mode = \"safe\"") ? "mode = \"keeper\"" : line) }
        }
        return out.joined(separator: "\n")
    }

    /// Demo policy adapters (allowlisted, class "lending", cap 5000 bps each).
    static let aaveUSDC = try! Address(hex: "0xdd4b699cFCA7BdB6E36eA0AACd6c4dE98B95B60C")
    static let aaveUSDT = try! Address(hex: "0x8de50eEbb41B538C11618E940875a22318B6862a")

    let directory: String
    let layout: StateLayout
    let socketPath: String
    let engine: DecisionEngine
    let server: ApplianceServer
    let keeperAddress: Address
    let auditAddress: Address

    enum Policy {
        case safe
        case keeper
        case none
    }

    /// Starts a server. `allowedUIDs` defaults to this process's uid; `keeper` overrides the signing key.
    init(policy: Policy = .safe, allowedUIDs: Set<UInt32>? = nil, limits: ServerLimits = ServerLimits(),
         keeper: (any DigestSigner)? = nil, socketDirectoryMode: mode_t = 0o700) throws {
        var template = Array("/tmp/rb-srv-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureFailure("mkdtemp failed") }
        directory = String(cString: made)
        chmod(directory, socketDirectoryMode)
        layout = StateLayout(directory: directory + "/state")
        try FileManager.default.createDirectory(atPath: layout.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        socketPath = directory + "/s.sock"
        let token = try ThrowawayToken.shared()
        let keeperSigner = try keeper ?? token.signer(label: "keeper")
        let auditSigner = try token.signer(label: "audit")
        keeperAddress = keeperSigner.address
        auditAddress = auditSigner.address
        engine = try DecisionEngine(
            databasePath: layout.database, keys: .init(keeper: keeperSigner, audit: auditSigner),
            clock: { ServerFixture.now })
        switch policy {
        case .safe: try Self.install(Self.demoPolicyText, into: engine.state)
        case .keeper: try Self.install(Self.keeperPolicyText, into: engine.state)
        case .none: break
        }
        server = ApplianceServer(engine: engine, socketPath: socketPath, layout: layout,
                                 allowedUIDs: allowedUIDs ?? [getuid()], limits: limits)
        try server.start()
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func install(_ toml: String, into state: ApplianceState) throws {
        try state.installPolicy(.init(
            version: 1, sha256: PolicyDigest.sha256Hex(Array(toml.utf8)), toml: toml,
            installedAt: Timestamp(seconds: 0), effectiveAt: Timestamp(seconds: 0), signatures: "[]"))
    }

    /// A new client connection.
    func client(timeoutMilliseconds: Int32 = 30_000) throws -> ApplianceClient {
        try ApplianceClient(socketPath: socketPath, timeoutMilliseconds: timeoutMilliseconds)
    }

    /// Audit entries of `kind`, oldest first.
    func auditEntries(kind: String) throws -> [AuditLog.Entry] {
        let database = try Database(path: layout.database, readOnly: true)
        return try AuditLog(database: database).entries().filter { $0.kind == kind }
    }

    /// A proposal the demo policy approves on an empty state at `now` (turnover exactly 5000 bps).
    static func proposal(id: String, usdc: Int = 2500, usdt: Int = 2500, reserve: Int = 5000) -> Proposal {
        Proposal(
            id: id, createdAt: now, chainID: 1, kind: .rebalance,
            targets: [.init(adapter: aaveUSDC, weightBps: usdc), .init(adapter: aaveUSDT, weightBps: usdt)],
            reserveBps: reserve, maxSlippageBps: 10,
            gas: .init(maxFeePerGas: 30_000_000_000, maxPriorityFeePerGas: 1_000_000_000, gasLimit: 450_000),
            expected: .init(apyGainBps: 120, gasCostBps: 2, maxRiskScore: 35),
            evidence: [.init(key: "model", value: "test")])
    }
}

/// A fixture precondition that did not hold.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Response {
    /// The error code, if this is an error response.
    var errorCode: WireErrorCode? {
        if case .error(let e) = self { return e.code }
        return nil
    }

    var decision: DecisionResponse? {
        if case .decision(let d) = self { return d }
        return nil
    }

    var status: StatusResponse? {
        if case .status(let s) = self { return s }
        return nil
    }
}
