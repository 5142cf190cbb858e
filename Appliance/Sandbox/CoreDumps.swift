import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

/// Core dumps of the appliance: switched off for good before it reads anything worth stealing.
///
/// `PR_SET_DUMPABLE 0` also makes `/proc/<pid>` owned by root and refuses `ptrace` attach from the same user, so
/// another process of the appliance's user cannot read its memory; `RLIMIT_CORE 0` (soft and hard) stops a crash
/// from writing a core even if something made the process dumpable again.
public enum CoreDumps {
    /// Switches core dumps off for this process, for good.
    public static func disable() throws {
        guard rb_set_dumpable(0) == 0 else {
            throw SandboxError(.coreDumpsNotDisabled, "prctl(PR_SET_DUMPABLE, 0) failed: \(errnoText())",
                               hint: "report this: every Linux kernel supports it")
        }
        guard rb_set_core_limit(0) == 0 else {
            throw SandboxError(.coreDumpsNotDisabled, "setrlimit(RLIMIT_CORE, 0) failed: \(errnoText())",
                               hint: "report this: lowering a limit needs no privilege")
        }
    }

    /// Whether this process is dumpable (`PR_GET_DUMPABLE`).
    public static var isDumpable: Bool { rb_get_dumpable() != 0 }

    /// This process's hard core-size limit in bytes.
    public static var hardLimit: UInt64 { UInt64(rb_core_hard_limit()) }
}

func errnoText() -> String { String(cString: strerror(errno)) }

extension CoreDumps {
    /// Tries to set RLIMIT_CORE to 0 again: refused (-1, EPERM) under the appliance's filter, which lets no
    /// limit change. For `appliance sandbox-selftest`.
    public static func setLimitAgain() -> Int32 { rb_set_core_limit(0) }
}
