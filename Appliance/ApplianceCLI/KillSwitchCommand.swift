import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

/// `appliance killswitch`: engage the kill switch, and release it with governance signatures.
struct KillSwitchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "killswitch",
        abstract: "Engage the kill switch, or release it with the governance signers' quorum.",
        discussion: """
            Engaging is open to the operator and the planner at once: while engaged, only an emergency exit to \
            the policy's safe haven is signed. Releasing needs `threshold` EIP-191 signatures from the active \
            policy's governance signers over the release message, which names the engagement (its start time and \
            audit entry) and the active policy's SHA-256, so a release signed for one engagement cannot release \
            another:

              rebalancer: release the kill switch engaged at <since, RFC 3339> (audit entry <seq>) under policy <sha256>

            Examples:
              appliance killswitch engage --socket /run/rebalancer/appliance.sock --reason "USDC depeg"
              appliance killswitch release-message --state /var/lib/rebalancer
              appliance killswitch sign-release --state /var/lib/rebalancer --key-file signer.key >> release.sigs
              appliance killswitch release --state /var/lib/rebalancer --signatures release.sigs
            """,
        subcommands: [Engage.self, ReleaseMessage.self, SignRelease.self, Release.self]
    )

    // MARK: - engage

    struct Engage: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Engage the kill switch (no signatures needed).",
            discussion: """
                With --socket, asks the running appliance (an `engage_kill_switch` request) and prints its \
                status. With --state, writes the state database directly (audited as `kill_switch_engaged`), \
                for when the appliance is not running. Engaging an engaged switch keeps the first engagement.

                Example: appliance killswitch engage --state /var/lib/rebalancer --reason "oracle outage"
                """)

        @Option(name: .long, help: ArgumentHelp("Why (at most 256 characters; audited).", valueName: "TEXT"))
        var reason: String

        @Option(name: .long, help: ArgumentHelp("The running appliance's socket.", valueName: "PATH"))
        var socket: String?

        @Option(name: .long, help: ArgumentHelp("The state directory (when the appliance is not running).",
                                                valueName: "DIR"))
        var state: String?

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func validate() throws {
            guard (socket == nil) != (state == nil) else {
                throw ValidationError("pass exactly one of --socket PATH or --state DIR")
            }
            guard reason.unicodeScalars.count <= WireLimits.maxKillSwitchReasonLength else {
                throw ValidationError("--reason is at most \(WireLimits.maxKillSwitchReasonLength) characters")
            }
        }

        func run() throws {
            try CommandFailure.reporting {
                let kill: KillSwitchState
                if let socket {
                    let response: Response
                    do {
                        response = try ApplianceClient.send(.engageKillSwitch(reason: reason), socketPath: socket)
                    } catch let error as ClientError {
                        throw CommandFailure(error.message,
                                             hint: "check the appliance is running (`appliance status --socket \(socket)`), "
                                                 + "or use --state DIR")
                    }
                    switch response {
                    case .status(let status): kill = status.killSwitch
                    case .error(let error):
                        throw CommandFailure("the appliance refused: \(error.message) [\(error.code.rawValue)]",
                                             hint: "check the reason text and that this user may use the socket")
                    case .decision:
                        throw CommandFailure("the appliance answered with a decision", hint: "check --socket")
                    }
                } else {
                    let governance = try PolicyInputs.governance(state: state ?? "")
                    let engaged = try PolicyInputs.governed {
                        try governance.engageKillSwitch(reason: reason, source: "operator")
                    }
                    kill = KillSwitchState(engaged: engaged.engaged, reason: engaged.reason, since: engaged.since)
                }
                if json {
                    PolicyInputs.printJSON(kill.jsonValue)
                } else {
                    print("kill switch engaged since \(kill.since?.rfc3339 ?? "?"): \(kill.reason ?? "")")
                }
            }
        }
    }

    // MARK: - release-message

    struct ReleaseMessage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release-message",
            abstract: "Print the message governance signers sign to release the current engagement.",
            discussion: """
                Signers sign the text as an EIP-191 personal message (`personal_sign`, a hardware wallet's \
                "sign message", or `appliance killswitch sign-release`).

                Example: appliance killswitch release-message --state /var/lib/rebalancer
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Flag(name: .long, help: "Print the message, its digest and the engagement as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let governance = try PolicyInputs.governance(state: state)
                let release = try PolicyInputs.governed { try governance.pendingRelease() }
                if json {
                    PolicyInputs.printJSON(.object([
                        "message": .string(release.message), "digest": .string(Hex.encode(release.digest)),
                        "engaged_since": .string(release.engagedSince.rfc3339),
                        "policy_sha256": .string(release.policySHA256),
                    ]))
                } else {
                    print(release.message)
                }
            }
        }
    }

    // MARK: - sign-release

    struct SignRelease: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-release",
            abstract: "Sign the release message with a governance signer's key.",
            discussion: """
                Prints one JSON line {"signer": "0x…", "signature": "0x…", "message": "…"}. With --state the \
                message is read from the state directory; on a signer's own machine pass --message with the text \
                `release-message` printed.

                Example: appliance killswitch sign-release --message "rebalancer: release …" --key-file signer.key
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String?

        @Option(name: .long, help: ArgumentHelp("The release message (instead of --state).", valueName: "TEXT"))
        var message: String?

        @Option(name: .customLong("key-file"),
                help: ArgumentHelp("A file (mode 0600) holding the signer's hex private key.", valueName: "K"))
        var keyFile: String

        func validate() throws {
            guard (state == nil) != (message == nil) else {
                throw ValidationError("pass exactly one of --state DIR or --message TEXT")
            }
        }

        func run() throws {
            try CommandFailure.reporting {
                let text: String
                if let message {
                    guard message.hasPrefix("rebalancer: release the kill switch engaged at ") else {
                        throw CommandFailure("--message is not a kill-switch release message",
                                             hint: "copy the text `appliance killswitch release-message` prints")
                    }
                    text = message
                } else {
                    let governance = try PolicyInputs.governance(state: state ?? "")
                    text = try PolicyInputs.governed { try governance.pendingRelease() }.message
                }
                var key = try PolicyInputs.privateKey(file: keyFile)
                defer { for i in key.indices { key[i] = 0 } }
                let signature = try Secp256k1.sign(digest: PersonalMessage.hash(Array(text.utf8)), privateKey: key)
                PolicyInputs.printJSON(.object([
                    "signer": .string(try Secp256k1.address(privateKey: key).checksummed),
                    "signature": .string(Hex.encode(signature.rsv)),
                    "message": .string(text),
                ]))
            }
        }
    }

    // MARK: - release

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release the kill switch with the governance signers' quorum.",
            discussion: """
                Refused (exit 1, with a GOVERNANCE_* code) without `threshold` distinct signatures of the active \
                policy's signers over the current release message. Audited as `kill_switch_released`.

                Example: appliance killswitch release --state /var/lib/rebalancer --signature 0x… --signature 0x…
                """)

        @Option(name: .long, help: ArgumentHelp("The state directory.", valueName: "DIR"))
        var state: String

        @Option(name: .customLong("signature"), parsing: .upToNextOption,
                help: ArgumentHelp("A signature over the release message; repeat for each.", valueName: "SIG"))
        var signatureValues: [String] = []

        @Option(name: .long, help: ArgumentHelp("A file of signatures, one per line (hex, or JSON lines from "
                                                + "`sign-release`).", valueName: "FILE"))
        var signatures: String?

        @Flag(name: .long, help: "Print the result as one JSON object.")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let list = try PolicyInputs.signatures(signatureValues, file: signatures)
                let governance = try PolicyInputs.governance(state: state)
                let done = try PolicyInputs.governed { try governance.releaseKillSwitch(signatures: list, source: "operator") }
                if json {
                    PolicyInputs.printJSON(.object([
                        "released": .bool(true),
                        "engaged_since": .string(done.release.engagedSince.rfc3339),
                        "approvers": .array(done.approvers.map { .string($0.checksummed) }),
                        "audit": .object(["seq": .integer(Int(done.audit.seq)), "hash": .string(Hex.encode(done.audit.hash))]),
                    ]))
                } else {
                    print("kill switch released (engaged since \(done.release.engagedSince)) by "
                          + done.approvers.map(\.checksummed).joined(separator: ", "))
                }
            }
        }
    }
}
