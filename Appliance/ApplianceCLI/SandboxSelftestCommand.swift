import ArgumentParser
import Foundation
import Sandbox

/// `appliance sandbox-selftest`: loads the serving appliance's seccomp allowlist into this process (the same
/// `SystemCallFilter.appliance.install()` that `serve` calls) and tries what it must refuse and what it must
/// still allow. It changes nothing but its own process.
struct SandboxSelftestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-selftest",
        abstract: "Load the serving appliance's seccomp filter here and check what it refuses and allows.",
        discussion: """
            Switches core dumps and writable-executable memory off and loads the same system-call allowlist \
            `appliance serve` loads once it is serving, then tries: an internet socket (IPv4 and IPv6), execve, \
            fork and changing a resource limit, each of which must fail with EPERM, and a writable-executable \
            mapping, which must fail with EACCES; and a Unix socket, a new thread and a file write in the \
            temporary directory, which must still work. Exit 0 only if every check holds.

            Example: appliance sandbox-selftest --json
            """
    )

    @Flag(name: .long, help: "Print the result as a JSON object.")
    var json = false

    /// One attempted operation and what became of it.
    struct Check {
        let call: String
        let expected: String
        let got: String
        var holds: Bool { expected == got }
    }

    func run() throws {
        try CommandFailure.reporting {
            try CoreDumps.disable()
            WritableExecutableMemory.deny()
            try SystemCallFilter.appliance.install()
        }
        let stream = Int32(SOCK_STREAM.rawValue)
        let datagram = Int32(SOCK_DGRAM.rawValue)
        let checks = [
            attempt("socket(AF_INET, SOCK_STREAM)", expected: "EPERM") { socket(AF_INET, stream, 0) },
            attempt("socket(AF_INET6, SOCK_DGRAM)", expected: "EPERM") { socket(AF_INET6, datagram, 0) },
            attempt("execve(/bin/false)", expected: "EPERM") { SandboxSelftestCommand.execFalse() },
            attempt("fork()", expected: "EPERM") { SandboxSelftestCommand.forkAndExit() },
            attempt("setrlimit(RLIMIT_CORE, 0)", expected: "EPERM") { CoreDumps.setLimitAgain() },
            attempt("mmap(PROT_WRITE | PROT_EXEC)", expected: "EACCES") { WritableExecutableMemory.tryMapping() },
            attempt("socket(AF_UNIX, SOCK_STREAM)", expected: "ok") { socket(AF_UNIX, stream, 0) },
            attempt("pthread_create", expected: "ok") { SandboxSelftestCommand.startAndJoinThread() },
            attempt("openat+write+unlink in the temporary directory", expected: "ok") {
                SandboxSelftestCommand.writeTemporaryFile()
            },
        ]
        let holds = checks.allSatisfy(\.holds)
        let status: [String: Any] = [
            "seccomp_mode": Int(SystemCallFilter.currentMode),
            "no_new_privs": SystemCallFilter.noNewPrivileges,
            "dumpable": CoreDumps.isDumpable,
            "core_limit": CoreDumps.hardLimit,
            "memory_deny_write_execute": WritableExecutableMemory.isDenied,
        ]
        if json {
            var object = status
            object["checks"] = checks.map { ["call": $0.call, "expected": $0.expected, "got": $0.got, "ok": $0.holds] }
            object["ok"] = holds
            print(try JSONText.encode(object))
        } else {
            for check in checks {
                print("\(check.holds ? "ok  " : "FAIL") \(check.call): \(check.got) (expected \(check.expected))")
            }
            print("seccomp mode \(status["seccomp_mode"]!), no_new_privs \(status["no_new_privs"]!), dumpable "
                  + "\(status["dumpable"]!), core limit \(status["core_limit"]!)")
        }
        if !holds { throw ExitCode(1) }
    }

    /// Runs `body` (a call returning -1 with errno on failure, or a descriptor or 0 on success) and names the
    /// outcome: "ok", or the errno's symbolic name.
    private func attempt(_ call: String, expected: String, _ body: () -> Int32) -> Check {
        errno = 0
        let result = body()
        if result >= 0 {
            if result > 2 { close(result) }
            return Check(call: call, expected: expected, got: "ok")
        }
        return Check(call: call, expected: expected, got: SandboxSelftestCommand.errnoName(errno))
    }

    private static func errnoName(_ value: Int32) -> String {
        switch value {
        case EPERM: return "EPERM"
        case EACCES: return "EACCES"
        case ENOSYS: return "ENOSYS"
        case EINVAL: return "EINVAL"
        default: return "errno \(value)"
        }
    }

    private static func execFalse() -> Int32 {
        let path = strdup("/bin/false")
        defer { free(path) }
        var argv: [UnsafeMutablePointer<CChar>?] = [path, nil]
        var envp: [UnsafeMutablePointer<CChar>?] = [nil]
        return execve("/bin/false", &argv, &envp)   // returns only on failure; /bin/false would exit 1
    }

    private static func forkAndExit() -> Int32 {
        let child = fork()
        if child == 0 { _exit(0) }
        if child > 0 {
            var status: Int32 = 0
            waitpid(child, &status, 0)
            return 0
        }
        return -1
    }

    private static func startAndJoinThread() -> Int32 {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { done.signal() }
        thread.start()
        return done.wait(timeout: .now() + 10) == .success ? 0 : -1
    }

    private static func writeTemporaryFile() -> Int32 {
        let path = NSTemporaryDirectory() + "/appliance-selftest-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return -1 }
        defer { close(fd); unlink(path) }
        return write(fd, "x", 1) == 1 ? 0 : -1
    }
}
