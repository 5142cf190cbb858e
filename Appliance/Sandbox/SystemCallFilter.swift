import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

/// A seccomp allowlist: the system calls a process may still make once it is serving; every other call fails
/// with `EPERM` and does nothing.
///
/// Loading it also sets `no_new_privs`, and it applies to every thread of the process (`SECCOMP_FILTER_FLAG_TSYNC`),
/// including the ones Dispatch and the server started before it. It cannot be removed or widened afterwards: a
/// later filter can only narrow it further.
///
/// The default action is `EPERM` rather than killing the process: a call the allowlist forgot (a rare path in
/// SoftHSM or SQLite) then fails like any refused call and the appliance answers `INTERNAL` instead of dying in
/// the middle of a batch; an attacker gains nothing either way, since the call does nothing.
public struct SystemCallFilter: Sendable {
    /// System calls allowed whatever their arguments, by name (names unknown on this architecture are skipped).
    public var allowed: [String]
    /// Address families `socket` and `socketpair` may create (`AF_UNIX` only for the appliance).
    public var socketFamilies: [Int32]
    /// `prctl` options allowed (thread names, reading the dumpable flag); any other option fails.
    public var prctlOptions: [Int32]
    /// `ioctl` requests allowed; any other request fails.
    public var ioctlRequests: [UInt]
    /// Whether new threads may be started: `clone` with `CLONE_THREAD` only (no fork), `clone3` answered `ENOSYS`
    /// so that glibc falls back to `clone` (a filter cannot read `clone3`'s flags).
    public var allowsThreads: Bool
    /// Whether `prlimit64` may read limits (never change them).
    public var allowsReadingLimits: Bool

    public init(allowed: [String], socketFamilies: [Int32], prctlOptions: [Int32], ioctlRequests: [UInt],
                allowsThreads: Bool, allowsReadingLimits: Bool) {
        self.allowed = allowed
        self.socketFamilies = socketFamilies
        self.prctlOptions = prctlOptions
        self.ioctlRequests = ioctlRequests
        self.allowsThreads = allowsThreads
        self.allowsReadingLimits = allowsReadingLimits
    }

    /// Loads the filter into this process, for every thread. It stays for the life of the process.
    public func install() throws {
        guard let context = seccomp_init(rb_seccomp_action_errno(UInt16(EPERM))) else {
            throw SandboxError(.systemCallFilterFailed, "seccomp_init failed",
                               hint: "check the kernel supports seccomp filters (CONFIG_SECCOMP_FILTER)")
        }
        defer { seccomp_release(context) }
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_TSYNC, 1), "seccomp_attr_set(TSYNC)")
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 1), "seccomp_attr_set(NNP)")
        for name in allowed {
            let number = seccomp_syscall_resolve_name(name)
            guard number >= 0 else { continue }   // not a system call on this architecture
            try check(seccomp_rule_add_array(context, rb_seccomp_action_allow(), number, 0, nil), "allow \(name)")
        }
        for family in socketFamilies {
            try check(rb_seccomp_allow_socket_family(context, family), "allow socket(\(family))")
            try check(rb_seccomp_allow_socketpair_family(context, family), "allow socketpair(\(family))")
        }
        for option in prctlOptions {
            try check(rb_seccomp_allow_prctl_option(context, option), "allow prctl(\(option))")
        }
        for request in ioctlRequests {
            try check(rb_seccomp_allow_ioctl_request(context, request), "allow ioctl(\(request))")
        }
        if allowsThreads {
            try check(rb_seccomp_allow_thread_clone(context), "allow clone(CLONE_THREAD)")
            try check(rb_seccomp_refuse_clone3(context), "refuse clone3 with ENOSYS")
        }
        if allowsReadingLimits {
            try check(rb_seccomp_allow_prlimit_read(context), "allow prlimit64(read)")
        }
        try check(seccomp_load(context), "seccomp_load")
    }

    private func check(_ result: Int32, _ step: String) throws {
        guard result == 0 else {
            throw SandboxError(.systemCallFilterFailed,
                               "\(step) failed: \(String(cString: strerror(-result)))",
                               hint: "run with --no-seccomp to find out whether the filter is the problem, and "
                                   + "report it")
        }
    }

    /// This process's seccomp mode: 0 none, 2 a filter is loaded.
    public static var currentMode: Int32 { rb_get_seccomp_mode() }

    /// Whether this process has `no_new_privs` set.
    public static var noNewPrivileges: Bool { rb_get_no_new_privs() == 1 }
}
