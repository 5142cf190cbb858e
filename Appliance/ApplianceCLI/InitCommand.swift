import ArgumentParser
import Ethereum
import Foundation
import HSM

/// `appliance init`: creates the state directory, the HSM token and the appliance's keys.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state directory, the HSM token and the keeper and audit keys.",
        discussion: """
            With no --hsm-module, SoftHSM2 keeps the token under STATE/softhsm, with a random user PIN in \
            STATE/pin and a random security officer PIN in STATE/so-pin (both mode 0600). Running init again \
            keeps the existing token and keys and prints the same addresses.
            """
    )

    /// The key that signs transactions or Safe approvals.
    static let keeperKeyLabel = "keeper"
    /// The key that signs audit checkpoints.
    static let auditKeyLabel = "audit"

    @Option(name: .long, help: ArgumentHelp("The state directory (created with mode 0700).", valueName: "DIR"))
    var state: String

    @Option(name: .long, help: ArgumentHelp("The initial signing policy (TOML).", valueName: "FILE"))
    var policy: String?

    @Option(name: .customLong("hsm-module"),
            help: ArgumentHelp("A PKCS#11 module to use instead of the embedded SoftHSM2.", valueName: "PATH"))
    var hsmModule: String?

    @Option(name: .customLong("token-label"), help: ArgumentHelp("The token's label.", valueName: "L"))
    var tokenLabel: String = "rebalancer"

    @Option(name: .customLong("pin-file"),
            help: ArgumentHelp("An existing file (mode 0600) holding the token's user PIN; default STATE/pin, "
                               + "created with a random PIN for a new token.", valueName: "F"))
    var pinFile: String?

    @Flag(name: .long, help: "Print the result as a JSON object.")
    var json = false

    func run() throws {
        try CommandFailure.reporting { try initialise() }
    }

    private func initialise() throws {
        let stateDirectory = StateDirectory(state)
        // An explicit module is loaded first, so a wrong path leaves no state directory behind.
        let explicitModule = try hsmModule.map { try PKCS11Module.load(path: absolute($0)) }
        try stateDirectory.prepare()

        if let policy {
            // TODO(policy): validate the policy with SigningPolicy and record its sha256 as the active policy
            // once policy loading exists; for now it is copied verbatim.
            try installPolicy(from: policy, into: stateDirectory)
        }

        let module: PKCS11Module
        let softHSMConfigurationFile: String?
        if let explicitModule {
            module = explicitModule
            softHSMConfigurationFile = nil
        } else {
            let softHSM = SoftHSMConfiguration(directory: stateDirectory.file("softhsm"))
            module = try softHSM.loadModule()
            softHSMConfigurationFile = softHSM.configurationFile
        }

        let pinPath = pinFile.map(absolute) ?? stateDirectory.file("pin")
        let result = try TokenProvisioning(
            module: module, tokenLabel: tokenLabel, pinFile: pinPath, createsMissingPINFile: pinFile == nil,
            soPINFile: stateDirectory.file("so-pin"),
            keyLabels: [InitCommand.keeperKeyLabel, InitCommand.auditKeyLabel]
        ).run()
        let keeper = result.keys[0]
        let audit = result.keys[1]

        let configuration = HSMConfiguration(
            modulePath: module.path, softHSMConfigurationFile: softHSMConfigurationFile, tokenLabel: tokenLabel,
            pinFile: pinPath, keeperKeyLabel: keeper.label, auditKeyLabel: audit.label,
            keeperAddress: keeper.address, auditAddress: audit.address)
        try configuration.save(stateDirectory: stateDirectory.path)

        if json {
            let object: [String: Any] = [
                "state": stateDirectory.path,
                "hsm_module": module.path,
                "token_label": tokenLabel,
                "token_created": result.tokenCreated,
                "keys_created": result.keysCreated,
                "keeper_address": keeper.address.checksummed,
                "audit_address": audit.address.checksummed,
            ]
            print(try JSONText.encode(object))
        } else {
            print("keeper address: \(keeper.address.checksummed)")
            print("audit address:  \(audit.address.checksummed)")
            let tokenState = result.tokenCreated ? "created" : "existing"
            print("token \"\(tokenLabel)\" (\(tokenState)) in \(module.path); state in \(stateDirectory.path)")
        }
    }

    private func installPolicy(from source: String, into stateDirectory: StateDirectory) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw CommandFailure("cannot read the policy file \(source)",
                                 hint: "pass --policy with the path of a readable policy TOML file")
        }
        let destination = stateDirectory.file("policy.toml")
        do {
            try data.write(to: URL(fileURLWithPath: destination), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
        } catch {
            throw CommandFailure("cannot write \(destination): \(error.localizedDescription)",
                                 hint: "check the state directory is writable")
        }
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
