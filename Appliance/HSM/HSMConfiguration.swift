import Ethereum
import Foundation

/// How the appliance reaches its HSM, recorded by `appliance init` in `STATE/appliance.json` so that later
/// commands (`serve`, `bench`) need only `--state`.
///
/// Holds no secret: the PIN stays in its own file (mode 0600), named here by path.
public struct HSMConfiguration: Codable, Sendable, Equatable {
    /// The file name inside the state directory.
    public static let fileName = "appliance.json"

    /// Path of the PKCS#11 module.
    public var modulePath: String
    /// The SoftHSM2 configuration to export as `SOFTHSM2_CONF`, when the module is the embedded SoftHSM.
    public var softHSMConfigurationFile: String?
    /// The token's label.
    public var tokenLabel: String
    /// The file holding the token's user PIN.
    public var pinFile: String
    /// Label of the key that signs transactions (keeper mode) or Safe approvals (Safe mode).
    public var keeperKeyLabel: String
    /// Label of the key that signs audit checkpoints.
    public var auditKeyLabel: String
    /// The keeper key's address, EIP-55.
    public var keeperAddress: String
    /// The audit key's address, EIP-55.
    public var auditAddress: String

    public init(modulePath: String, softHSMConfigurationFile: String?, tokenLabel: String, pinFile: String,
                keeperKeyLabel: String, auditKeyLabel: String, keeperAddress: Address, auditAddress: Address) {
        self.modulePath = modulePath
        self.softHSMConfigurationFile = softHSMConfigurationFile
        self.tokenLabel = tokenLabel
        self.pinFile = pinFile
        self.keeperKeyLabel = keeperKeyLabel
        self.auditKeyLabel = auditKeyLabel
        self.keeperAddress = keeperAddress.checksummed
        self.auditAddress = auditAddress.checksummed
    }

    enum CodingKeys: String, CodingKey {
        case modulePath = "hsm_module"
        case softHSMConfigurationFile = "softhsm2_conf"
        case tokenLabel = "token_label"
        case pinFile = "pin_file"
        case keeperKeyLabel = "keeper_key_label"
        case auditKeyLabel = "audit_key_label"
        case keeperAddress = "keeper_address"
        case auditAddress = "audit_address"
    }

    /// Reads `STATE/appliance.json`.
    public static func load(stateDirectory: String) throws -> HSMConfiguration {
        let path = stateDirectory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HSMError(.configurationUnwritable, "no appliance configuration at \(path)",
                           hint: "run `appliance init --state \(stateDirectory) --policy FILE` first")
        }
        do {
            return try JSONDecoder().decode(HSMConfiguration.self, from: data)
        } catch {
            throw HSMError(.configurationUnwritable, "\(path) is not a valid appliance configuration: \(error)",
                           hint: "restore it from backup or re-run `appliance init` on a fresh state directory")
        }
    }

    /// Writes `STATE/appliance.json` (mode 0600), replacing it atomically.
    public func save(stateDirectory: String) throws {
        let path = stateDirectory + "/" + HSMConfiguration.fileName
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(self) + Data("\n".utf8)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw HSMError(.configurationUnwritable, "cannot write \(path): \(error)",
                           hint: "check the state directory is writable by this user")
        }
    }

    /// Loads the module, finds the token and logs in with the PIN file.
    public func openPool() throws -> SessionPool {
        let module = try PKCS11Module.load(path: modulePath, softHSMConfiguration: softHSMConfigurationFile)
        let token = try HSMToken.find(label: tokenLabel, in: module)
        return try token.login(pinFile: pinFile)
    }
}
