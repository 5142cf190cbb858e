/// An HSM failure: a stable code to compare on, a message saying what happened and a hint saying what to do.
///
/// Compare errors by `code`; the message and hint are for people and may be reworded.
public struct HSMError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Stable error codes. The raw values appear in logs and JSON output.
    public enum Code: String, Sendable, CaseIterable {
        /// The PKCS#11 module file does not exist.
        case moduleNotFound = "HSM_MODULE_NOT_FOUND"
        /// The module file exists but `dlopen` or `C_GetFunctionList` failed.
        case moduleUnloadable = "HSM_MODULE_UNLOADABLE"
        /// The module was already initialised in this process with a different SoftHSM configuration.
        case moduleConfigurationConflict = "HSM_MODULE_CONFIGURATION_CONFLICT"
        /// No token with the requested label.
        case tokenNotFound = "HSM_TOKEN_NOT_FOUND"
        /// A token label that cannot be used (empty, longer than 32 bytes).
        case invalidTokenLabel = "HSM_INVALID_TOKEN_LABEL"
        /// No slot with an uninitialised token to initialise.
        case noFreeSlot = "HSM_NO_FREE_SLOT"
        /// The PIN file does not exist or cannot be read.
        case pinFileUnreadable = "HSM_PIN_FILE_UNREADABLE"
        /// The PIN file belongs to another user or is accessible to group or others.
        case pinFileUnsafe = "HSM_PIN_FILE_UNSAFE"
        /// The PIN file is empty (or holds only a newline).
        case pinEmpty = "HSM_PIN_EMPTY"
        /// The token rejected the PIN.
        case pinIncorrect = "HSM_PIN_INCORRECT"
        /// The token has locked the PIN after too many failures.
        case pinLocked = "HSM_PIN_LOCKED"
        /// No key with the requested label.
        case keyNotFound = "HSM_KEY_NOT_FOUND"
        /// More than one key with the requested label.
        case keyAmbiguous = "HSM_KEY_AMBIGUOUS"
        /// A key that is not a usable secp256k1 key (wrong curve, malformed public point).
        case keyInvalid = "HSM_KEY_INVALID"
        /// The token refused to reveal a sensitive attribute (as it must for private key material).
        case attributeSensitive = "HSM_ATTRIBUTE_SENSITIVE"
        /// A digest that is not 32 bytes.
        case invalidDigest = "HSM_INVALID_DIGEST"
        /// The token's signature did not verify or recover to the key's public key.
        case signatureInvalid = "HSM_SIGNATURE_INVALID"
        /// A signature given to `Secp256k1` that cannot be parsed or recovered.
        case signatureMalformed = "HSM_SIGNATURE_MALFORMED"
        /// The SoftHSM configuration or token directory could not be written.
        case configurationUnwritable = "HSM_CONFIGURATION_UNWRITABLE"
        /// The token cannot be reached or no longer holds the key (removed, reset, its files gone); signing
        /// works again once it is back.
        case tokenUnavailable = "HSM_TOKEN_UNAVAILABLE"
        /// Any other PKCS#11 failure; the message names the function and return value.
        case pkcs11Failure = "HSM_PKCS11_FAILURE"
    }

    /// The stable code.
    public let code: Code
    /// What happened.
    public let message: String
    /// What to do about it.
    public let hint: String
    /// The PKCS#11 return value (`CKR_…`) behind the error, when there is one.
    public let returnValue: UInt?

    public init(_ code: Code, _ message: String, hint: String, returnValue: UInt? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.returnValue = returnValue
    }

    public var description: String { "\(message) (\(code.rawValue)); \(hint)" }
}
