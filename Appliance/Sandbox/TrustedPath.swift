#if canImport(Glibc)
import Glibc
#endif

/// A file or directory the appliance trusts (its state directory, configuration, database, policy, PIN): it
/// must belong to the appliance's own user (or root, who can change any file anyway) and must not be writable by
/// group or others; a secret must not be accessible to them at all.
///
/// Whoever can write one of these can make the appliance load another PKCS#11 module, sign under another policy
/// or read the PIN, so the appliance refuses to start rather than trust it.
public struct TrustedPath: Sendable {
    /// How much group and others may do.
    public enum Exposure: Sendable {
        /// Group and others may read (a policy file), never write.
        case readableByOthers
        /// Group and others get no access at all (the PIN, the state directory).
        case ownerOnly
    }

    /// The path checked.
    public let path: String
    /// What it is, in words, for the message ("the PIN file").
    public let role: String
    public let exposure: Exposure

    public init(_ path: String, role: String, exposure: Exposure) {
        self.path = path
        self.role = role
        self.exposure = exposure
    }

    /// Throws a `SandboxError` naming the path and the fix unless the path is owned by this process's effective
    /// user or root and its mode is within `exposure`.
    public func check() throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SandboxError(.uninspectable, "cannot inspect \(role) \(path): \(errnoText())",
                               hint: "check the path exists and its directory is searchable by this user")
        }
        try TrustedPath.check(info, path: path, role: role, exposure: exposure)
    }

    /// The same checks on an already open file (no race between the check and the read).
    public func check(descriptor: Int32) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw SandboxError(.uninspectable, "cannot inspect \(role) \(path): \(errnoText())",
                               hint: "check the file is a regular file")
        }
        try TrustedPath.check(info, path: path, role: role, exposure: exposure)
    }

    static func check(_ info: stat, path: String, role: String, exposure: Exposure) throws {
        let user = geteuid()
        guard info.st_uid == user || info.st_uid == 0 else {
            throw SandboxError(
                .foreignOwner, "\(role) \(path) is owned by uid \(info.st_uid), not by the appliance's user "
                    + "(uid \(user)) or root",
                hint: "run `chown \(user) \(path)` (or run the appliance as its owner), after checking nobody "
                    + "else changed it")
        }
        let mode = info.st_mode & 0o7777
        let isDirectory = info.st_mode & S_IFMT == S_IFDIR
        let forbidden: mode_t = exposure == .ownerOnly ? 0o077 : 0o022
        guard mode & forbidden == 0 else {
            let fix: String
            switch (exposure, isDirectory) {
            case (.ownerOnly, true): fix = "chmod 700"
            case (.ownerOnly, false): fix = "chmod 600"
            case (.readableByOthers, _): fix = "chmod go-w"
            }
            let what = exposure == .ownerOnly ? "accessible to group or others" : "writable by group or others"
            throw SandboxError(
                .unsafeMode, "\(role) \(path) is \(what) (mode \(String(mode, radix: 8)))",
                hint: "run `\(fix) \(path)`, after checking nobody else changed it")
        }
    }
}
