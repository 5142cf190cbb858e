import Ethereum
import Foundation
import HSM

/// A SoftHSM2 token for tests: created in the process's temporary SoftHSM directory with its own label, PIN
/// file and keys, logged in and ready to sign.
///
/// `ThrowawayToken.shared()` is one token per test process with keys "keeper" and "audit";
/// `ThrowawayToken.make(keyLabels:)` makes a fresh one (for tests that need a token of their own, such as
/// wrong-PIN tests).
public struct ThrowawayToken: Sendable {
    /// The SoftHSM2 module.
    public let module: PKCS11Module
    /// The token.
    public let token: HSMToken
    /// The file holding the user PIN (mode 0600).
    public let pinFile: String
    /// The logged-in session pool.
    public let pool: SessionPool
    /// The keys, by label.
    public let keys: [String: TokenKey]

    /// The token's label.
    public var label: String { token.label }

    /// A signer for the key labelled `label` (default "keeper").
    public func signer(label: String = "keeper") throws -> HSMSigner {
        guard let key = keys[label] else {
            throw HSMError(.keyNotFound, "the throwaway token has no key \"\(label)\"",
                           hint: "pass the label to ThrowawayToken.make(keyLabels:)")
        }
        return pool.signer(for: key)
    }

    private static let counter = UniqueCounter()
    private static let sharedToken: Result<ThrowawayToken, HSMError> = {
        do { return .success(try make(keyLabels: ["keeper", "audit"])) } catch let error as HSMError {
            return .failure(error)
        } catch {
            return .failure(HSMError(.pkcs11Failure, "\(error)", hint: "see the error"))
        }
    }()

    /// The token shared by every test in this process, with keys "keeper" and "audit".
    public static func shared() throws -> ThrowawayToken {
        try sharedToken.get()
    }

    /// A new token with a unique label, a random PIN in a file, and the given keys.
    public static func make(keyLabels: [String] = ["keeper"]) throws -> ThrowawayToken {
        let module = try TestHSMEnvironment.module()
        let label = "test-\(getpid())-\(counter.next())"
        let directory = TestHSMEnvironment.directory + "/" + label
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let provisioning = TokenProvisioning(
            module: module, tokenLabel: label, pinFile: directory + "/pin", soPINFile: directory + "/so-pin",
            keyLabels: keyLabels)
        let result = try provisioning.run()
        let token = try HSMToken.find(label: label, in: module)
        return ThrowawayToken(
            module: module, token: token, pinFile: directory + "/pin", pool: result.pool,
            keys: Dictionary(uniqueKeysWithValues: zip(keyLabels, result.keys)))
    }
}

