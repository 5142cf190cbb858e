import ApplianceCore
import Foundation
import HSM
import SigningPolicy

/// A throwaway appliance for `appliance bench`: a fresh state database with the benchmark policy installed, a
/// `DecisionEngine` on the wall clock and an `ApplianceServer` on its own Unix socket, all in one directory.
final class BenchAppliance {
    let directory: String
    let socketPath: String
    let engine: DecisionEngine
    let server: ApplianceServer

    /// Creates the state in `directory` (which must not exist) and starts serving on `directory/s.sock`.
    init(directory: String, keeper: HSMSigner, audit: HSMSigner, mode: SigningPolicy.Mode, clients: Int) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let layout = StateLayout(directory: directory)
        socketPath = directory + "/s.sock"
        engine = try DecisionEngine(databasePath: layout.database, keys: .init(keeper: keeper, audit: audit),
                                    clock: BenchAppliance.wallClock)
        let toml = BenchPolicy.toml(mode: mode)
        let now = BenchAppliance.wallClock()
        try engine.state.installPolicy(.init(
            version: 1, sha256: PolicyDigest.sha256Hex(Array(toml.utf8)), toml: toml, installedAt: now,
            effectiveAt: now, signatures: "[]"))
        server = ApplianceServer(engine: engine, socketPath: socketPath, layout: layout, allowedUIDs: [getuid()],
                                 limits: ServerLimits(maxConnections: max(32, clients + 4)))
        try server.start()
    }

    /// Stops the server (answering requests in flight, signing the closing checkpoint) and deletes the state.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The decision clock: the system's wall clock in whole seconds.
    static let wallClock: @Sendable () -> Timestamp = {
        Timestamp(seconds: Int64(Date().timeIntervalSince1970))
    }
}
