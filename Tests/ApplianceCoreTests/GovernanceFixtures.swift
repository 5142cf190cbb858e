import ApplianceCore
import Ethereum
import Foundation
import HSM
import SigningPolicy
import TestSupport

/// The demo policy's governance keys (publicly known, see policy/demo.toml), policy variants and a governance
/// handle on a fresh state database with a manual clock.
enum GovernanceFixtures {
    /// Private keys 0x01…01, 0x02…02, 0x03…03: the demo policy's three signers.
    static let signerKeys: [[UInt8]] = [1, 2, 3].map { [UInt8](repeating: $0, count: 32) }
    /// A key that is not a demo signer.
    static let outsiderKey = [UInt8](repeating: 4, count: 32)

    static func demoText() throws -> String { try EngineFixture.demoPolicyText() }

    /// The demo policy with `version` changed and each (old, new) text replacement applied (each must match).
    static func variant(version: Int, _ replacements: [(String, String)] = []) throws -> [UInt8] {
        var text = try demoText()
        precondition(text.contains("version = 1 "))
        text = text.replacingOccurrences(of: "version = 1 ", with: "version = \(version) ")
        for (old, new) in replacements {
            precondition(text.contains(old), "the demo policy has no \(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return Array(text.utf8)
    }

    /// Raises `allocation.max_weight_bps` from 5000 to 6000: a loosening.
    static let raiseMaxWeight = ("max_weight_bps = 5000             #", "max_weight_bps = 6000             #")
    /// Lengthens the cooldown from 6h to 8h: a tightening.
    static let longerCooldown = ("cooldown = \"6h\"", "cooldown = \"8h\"")

    /// A governance signature (0x-hex r‖s‖v) by `key` over a policy's bytes.
    static func sign(policy: [UInt8], key: [UInt8]) throws -> String {
        Hex.encode(try Secp256k1.sign(digest: PolicyActivation.digest(policyBytes: policy), privateKey: key).rsv)
    }

    /// A signature by `key` over a kill-switch release.
    static func sign(release: KillSwitchRelease, key: [UInt8]) throws -> String {
        Hex.encode(try Secp256k1.sign(digest: release.digest, privateKey: key).rsv)
    }

    private static let counter = UniqueCounter()

    /// A fresh state database with the demo policy installed by the operator at the clock's time.
    static func governance(clock: ManualClock, initial: [UInt8]? = nil) throws -> (Governance, String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("governance-\(getpid())-\(counter.next())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let governance = try Governance(databasePath: StateLayout(directory: directory).database,
                                        clock: clock.function)
        _ = try governance.installInitialPolicy(try initial ?? Array(demoText().utf8))
        return (governance, directory)
    }

    /// The governance error code `body` throws, or nil (another error type is not a code either).
    static func code(_ body: () throws -> Void) -> GovernanceError.Code? {
        do { try body() } catch { return (error as? GovernanceError)?.code }
        return nil
    }
}
