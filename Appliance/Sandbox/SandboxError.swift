/// A hardening step that could not be taken, or a file the appliance refuses to trust.
///
/// Compare by `code`; the message names the path or call and the hint says what to do.
public struct SandboxError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Stable error codes.
    public enum Code: String, Sendable, CaseIterable {
        /// The seccomp filter could not be built or loaded.
        case systemCallFilterFailed = "SANDBOX_SYSCALL_FILTER_FAILED"
        /// Core dumps could not be switched off.
        case coreDumpsNotDisabled = "SANDBOX_CORE_DUMPS_NOT_DISABLED"
        /// A file or directory is owned by another user (neither the appliance's nor root).
        case foreignOwner = "SANDBOX_FOREIGN_OWNER"
        /// A file or directory that group or others can write (or, for a secret, access at all).
        case unsafeMode = "SANDBOX_UNSAFE_MODE"
        /// A file that should be checked cannot be inspected.
        case uninspectable = "SANDBOX_UNINSPECTABLE"
    }

    public let code: Code
    public let message: String
    public let hint: String

    public init(_ code: Code, _ message: String, hint: String) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(code.rawValue)); \(hint)" }
}
