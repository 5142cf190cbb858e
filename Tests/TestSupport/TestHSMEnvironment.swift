import Foundation
import HSM

/// The one SoftHSM2 setup a test process uses: a temporary directory with its own `softhsm2.conf` and token
/// directory, loaded once (SoftHSM reads `SOFTHSM2_CONF` only when it initialises, once per process).
///
/// Every `ThrowawayToken` lives in this directory under its own label. The directory is deleted when the
/// process exits.
public enum TestHSMEnvironment {
    /// The temporary directory for this process (created on first use).
    public static let directory: String = {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/rebalancer-hsm-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        atexit { TestHSMEnvironment.removeDirectory() }
        return path
    }()

    /// The SoftHSM2 configuration inside `directory`.
    public static var softHSM: SoftHSMConfiguration { SoftHSMConfiguration(directory: directory + "/softhsm") }

    /// The SoftHSM2 module, loaded with this process's configuration.
    public static func module() throws -> PKCS11Module {
        try softHSM.loadModule(path: PKCS11Module.softHSMDefaultPath)
    }

    private static func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
