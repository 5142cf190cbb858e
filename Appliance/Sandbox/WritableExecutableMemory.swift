import CSeccomp

/// Writable-executable memory, refused for the whole process by the kernel (`PR_SET_MDWE`, Linux 6.3+): no
/// mapping may be writable and executable at once, and none may become executable later. This is what the
/// unit's `MemoryDenyWriteExecute=` asks of systemd, enforced by the appliance itself, so it holds wherever the
/// appliance runs. It cannot be undone, and child processes inherit it.
public enum WritableExecutableMemory {
    /// Refuses writable-executable memory from now on. Returns false where the kernel predates `PR_SET_MDWE`.
    @discardableResult
    public static func deny() -> Bool { rb_set_memory_deny_write_execute() == 0 }

    /// Whether this process refuses writable-executable memory.
    public static var isDenied: Bool { rb_get_memory_deny_write_execute() > 0 }

    /// Tries to map a writable-executable page: 0 if the kernel allowed it, -1 with errno if it refused. For
    /// `appliance sandbox-selftest`.
    public static func tryMapping() -> Int32 { rb_try_writable_executable_mapping() }
}
