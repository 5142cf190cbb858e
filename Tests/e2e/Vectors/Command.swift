import Foundation

/// A tool command: takes the request object, returns a JSON-serialisable result or throws.
typealias CommandHandler = @Sendable ([String: Any]) throws -> Any

/// The command table. Add a command by writing its handler in its own file and listing it here.
enum Command {
    static let all: [String: CommandHandler] = [
        "keccak": EncodingCommands.keccak,
        "rlp_encode": EncodingCommands.rlpEncode,
        "rlp_decode": EncodingCommands.rlpDecode,
        "abi_encode": EncodingCommands.abiEncode,
        "abi_decode": EncodingCommands.abiDecode,
        "selector": EncodingCommands.selector,
        "safe_tx_hash": EncodingCommands.safeTxHash,
        "eip712_hash": EncodingCommands.eip712Hash,
        "eip1559_signing_hash": EncodingCommands.eip1559SigningHash,
        "eip1559_decode": EncodingCommands.eip1559Decode,
        "personal_message_hash": EncodingCommands.personalMessageHash,
        "hsm_address": HSMCommands.address,
        "hsm_sign_eip1559": HSMCommands.signEIP1559,
        "hsm_sign_personal": HSMCommands.signPersonal,
        "hsm_sign_digest": HSMCommands.signDigest,
    ]
}

/// A request the tool could not serve.
struct ToolError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
