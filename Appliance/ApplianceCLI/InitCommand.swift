import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import Sandbox
import SigningPolicy

/// `appliance init`: creates the state directory, the HSM token and the appliance's keys.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state directory, the HSM token and the keeper and audit keys.",
        discussion: """
            With no --hsm-module, SoftHSM2 keeps the token under STATE/softhsm, with a random user PIN in \
            STATE/pin and a random security officer PIN in STATE/so-pin (both mode 0600). Running init again \
            keeps the existing token and keys and prints the same addresses.

            --policy installs the first signing policy in STATE/appliance.sqlite, effective at once and audited \
            (`policy_installed`, signed by "operator"). An invalid policy fails init before anything is created. \
            Running init again with the same policy keeps it; a different one is refused: later policies need \
            the governance signers (`appliance policy activate`).

            Example: appliance init --state /var/lib/rebalancer --policy policy/demo.toml
            """
    )

    /// The key that signs transactions or Safe approvals.
    static let keeperKeyLabel = "keeper"
    /// The key that signs audit checkpoints.
    static let auditKeyLabel = "audit"

    @Option(name: .long, help: ArgumentHelp("The state directory (created with mode 0700).", valueName: "DIR"))
    var state: String

    @Option(name: .long, help: ArgumentHelp("The initial signing policy (TOML), installed as the active policy; "
                                            + "later policies need `appliance policy activate`.", valueName: "FILE"))
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
        // The policy is validated before anything is created, so a bad policy leaves no state behind.
        let policyBytes = try policy.map(readPolicy)
        try stateDirectory.prepare()

        let installation = try policyBytes.map { try installPolicy($0, into: stateDirectory) }

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
            var withPolicy = object
            if let installed = installation?.policy {
                withPolicy["policy_version"] = installed.version
                withPolicy["policy_sha256"] = installed.sha256
                withPolicy["policy_installed"] = installation?.isNew ?? false
            }
            print(try JSONText.encode(withPolicy))
        } else {
            print("keeper address: \(keeper.address.checksummed)")
            print("audit address:  \(audit.address.checksummed)")
            let tokenState = result.tokenCreated ? "created" : "existing"
            print("token \"\(tokenLabel)\" (\(tokenState)) in \(module.path); state in \(stateDirectory.path)")
            if let installation {
                let installed = installation.policy
                print("policy version \(installed.version) (sha256 \(installed.sha256)) "
                      + (installation.isNew ? "installed, effective now" : "already installed; kept"))
            }
        }
    }

    /// Reads and validates the policy file: an invalid policy fails init with the loader's error and hint.
    private func readPolicy(_ source: String) throws -> [UInt8] {
        // The first policy is installed on the operator's word alone: only its owner may have written it.
        if FileManager.default.fileExists(atPath: source) {
            try TrustedPath(source, role: "the policy file", exposure: .readableByOthers).check()
        }
        guard let data = FileManager.default.contents(atPath: source) else {
            throw CommandFailure("cannot read the policy file \(source)",
                                 hint: "pass --policy with the path of a readable policy TOML file")
        }
        let bytes = Array(data)
        _ = try PolicyInputs.governed { try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self)) }
        return bytes
    }

    /// Installs the operator's first policy in STATE/appliance.sqlite, effective at once and audited; a second
    /// init with the same policy keeps it, and one with a different policy is refused (use `policy activate`).
    private func installPolicy(_ bytes: [UInt8], into stateDirectory: StateDirectory) throws
        -> Governance.InitialInstallation
    {
        let layout = StateLayout(directory: stateDirectory.path)
        let governance: Governance
        do { governance = try Governance(databasePath: layout.database, clock: PolicyInputs.now) } catch {
            throw CommandFailure("cannot open \(layout.database): \(error)", hint: "check the state directory is writable")
        }
        return try PolicyInputs.governed { try governance.installInitialPolicy(bytes) }
    }

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
