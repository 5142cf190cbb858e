import CSeccomp
#if canImport(Glibc)
import Glibc
#endif

extension SystemCallFilter {
    /// What the serving appliance still needs once its token is logged in, its database open and its socket
    /// bound: the Swift runtime and Dispatch (threads, futexes, epoll, signals, timers), SQLite in WAL mode
    /// (positioned reads and writes, fsync, POSIX locks, the `-shm` mapping), SoftHSM2 signing (it re-reads its
    /// token files under a lock and draws randomness) and the Unix socket (accept, peer credentials, timeouts).
    ///
    /// Found by tracing `appliance serve` through the test suites (start-up, approvals in keeper and Safe mode,
    /// rejections, protocol errors, BUSY, SIGTERM) with strace; see hardening/README.md. Not in it, among others:
    /// `execve`/`execveat`, `fork`/`vfork` and `clone` without `CLONE_THREAD`, `socket` for any family but
    /// `AF_UNIX`, `connect`, `bind`, `listen`, `ptrace`, `process_vm_*`, `mount`, `chmod`/`chown`, `setuid` and
    /// friends, `kill`, `bpf`, `perf_event_open`, `io_uring_*`, `userfaultfd`, `keyctl`, `setrlimit`, `prctl`
    /// beyond thread names and read-only queries, `ioctl` beyond `FIONBIO`, `FIOCLEX` and `TCGETS`. `mprotect`
    /// is allowed (allocators need it); `MemoryDenyWriteExecute=` in the unit forbids writable-executable
    /// mappings.
    public static let appliance = SystemCallFilter(
        allowed: [
            // Memory.
            "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mlock", "munlock", "membarrier",
            // Threads, synchronisation, scheduling.
            "futex", "futex_waitv", "set_robust_list", "get_robust_list", "rseq",
            "set_tid_address", "gettid", "getpid", "getppid", "tgkill", "sched_yield", "sched_getaffinity",
            "sched_setaffinity", "sched_getparam", "sched_getscheduler", "exit", "exit_group",
            // Signals.
            "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigtimedwait", "sigaltstack",
            // Time.
            "clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep", "gettimeofday", "time",
            // Event loops (Dispatch).
            "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd2",
            "timerfd_create", "timerfd_settime", "timerfd_gettime", "poll", "ppoll", "pselect6", "select",
            // Files: the database, its WAL and shared memory, SoftHSM's token files, the socket file on exit.
            "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "lseek", "close",
            "openat", "open", "fstat", "newfstatat", "stat", "lstat", "statx", "fstatfs", "statfs", "access",
            "faccessat", "faccessat2", "fcntl", "flock", "fsync", "fdatasync", "ftruncate", "getdents64",
            "readlink", "readlinkat", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir",
            "mkdirat", "getcwd", "dup", "dup3", "pipe2", "fadvise64",
            // The socket: connections arrive on the listening socket bound before the filter was loaded.
            "accept", "accept4", "getsockopt", "setsockopt", "getsockname", "getpeername", "recvfrom",
            "sendto", "recvmsg", "sendmsg", "shutdown",
            // Identity and limits (read only).
            "getuid", "geteuid", "getgid", "getegid", "getgroups", "getresuid", "getresgid", "getrlimit",
            "getrusage", "uname", "sysinfo", "getrandom",
        ],
        socketFamilies: [AF_UNIX],
        prctlOptions: [PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE, PR_GET_SECCOMP, PR_GET_NO_NEW_PRIVS],
        ioctlRequests: [UInt(FIONBIO), UInt(FIOCLEX), UInt(TCGETS)],
        allowsThreads: true, allowsReadingLimits: true)
}
