import ApplianceCore
import ArgumentParser
import Ethereum
import Foundation
import HSM
import SigningPolicy
import Wire

extension PolicyCommand {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a policy file as a governance signer (EIP-191 over its SHA-256).",
            discussion: """
                For co-signers' tooling: signs the EIP-191 personal-message hash of the 32 SHA-256 bytes of the \
                file's exact bytes (what `personal_sign` of those 32 bytes gives) with the key in --key-file, and \
                prints one JSON line {"signer": "0x…", "signature": "0x…", "sha256": "…"}. Collect the lines in a \
                file for `appliance policy activate --signatures FILE`. The output is JSON with or without --json. \
                The appliance never signs with treasury keys this way; this is for signers' own keys.

                Example: appliance policy sign next.toml --key-file ~/.rebalancer/signer.key >> next.sigs
                """)

        @Argument(help: ArgumentHelp("The policy file to sign.", valueName: "FILE"))
        var file: String

        @Option(name: .customLong("key-file"),
                help: ArgumentHelp("A file (mode 0600) holding the signer's hex private key.", valueName: "K"))
        var keyFile: String

        @Flag(name: .long, help: "Print JSON (the default and only format).")
        var json = false

        func run() throws {
            try CommandFailure.reporting {
                let bytes = try PolicyInputs.bytes(of: file, what: "the policy file")
                _ = try PolicyInputs.governed { try SigningPolicy.load(toml: String(decoding: bytes, as: UTF8.self)) }
                var key = try PolicyInputs.privateKey(file: keyFile)
                defer { for i in key.indices { key[i] = 0 } }
                let signature = try Secp256k1.sign(digest: PolicyActivation.digest(policyBytes: bytes), privateKey: key)
                PolicyInputs.printJSON(.object([
                    "signer": .string(try Secp256k1.address(privateKey: key).checksummed),
                    "signature": .string(Hex.encode(signature.rsv)),
                    "sha256": .string(PolicyDigest.sha256Hex(bytes)),
                ]))
            }
        }
    }
}
