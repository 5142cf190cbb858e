/// EIP-191 version 0x45 ("personal_sign") messages: what policy signers sign over a policy's sha256.
public enum PersonalMessage {
    /// keccak256("\u{19}Ethereum Signed Message:\n" ‖ decimal byte length ‖ message).
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message)
    }
}
