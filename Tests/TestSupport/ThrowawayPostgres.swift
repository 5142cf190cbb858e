import Foundation

/// A real PostgreSQL server for tests, one per test process: `initdb` into a fresh directory under /tmp, started
/// with `pg_ctl` listening only on a Unix socket in that directory (no TCP), trust authentication, `fsync=off`.
///
/// PostgreSQL refuses to run as root, so under root the server runs as `nobody` (uid/gid 65534, via `setpriv`)
/// and owns its directory. The server is stopped (`pg_ctl stop -m immediate`) and the directory deleted when the
/// test process exits; a small watchdog does the same if the process dies without exiting normally.
///
/// If PostgreSQL is not installed, `shared()` throws an error telling to run `make deps`: tests fail, they do
/// not skip.
public struct ThrowawayPostgres: Sendable {
    /// The directory holding the data directory, the socket and the log.
    public let directory: String
    /// The directory holding the server's Unix socket.
    public let socketDirectory: String
    /// The port (only names the socket file, `.s.PGSQL.<port>`).
    public let port: Int
    /// The PostgreSQL server binaries.
    public let binDirectory: String
    /// The superuser (trust authentication, no password).
    public let user = "postgres"

    /// A store URL for `database`, in the form `PostgresStoreURL` and `planner ingest --store` accept.
    public func url(database: String) -> String {
        "postgres://\(user)@localhost:\(port)/\(database)?host=\(socketDirectory)"
    }

    /// Creates a new, empty database with a unique name and returns its URL.
    public func makeDatabase() throws -> String {
        let name = "test_\(getpid())_\(Self.counter.next())"
        try Self.run(binDirectory + "/createdb", ["-h", socketDirectory, "-p", "\(port)", "-U", user, name],
                     asServerUser: false)
        return url(database: name)
    }

    /// The server shared by every test in this process, started on first use.
    public static func shared() throws -> ThrowawayPostgres {
        try sharedServer.get()
    }

    private static let counter = UniqueCounter()
    private static let sharedServer: Result<ThrowawayPostgres, ThrowawayPostgresError> = {
        do {
            let server = try start()
            stopAtExit = (server.binDirectory, server.directory)
            atexit { ThrowawayPostgres.stopAtExitNow() }
            return .success(server)
        } catch let error as ThrowawayPostgresError {
            return .failure(error)
        } catch {
            return .failure(ThrowawayPostgresError("\(error)"))
        }
    }()

    /// What the exit handler stops and deletes (written once, before `atexit` is registered).
    private nonisolated(unsafe) static var stopAtExit: (bin: String, directory: String)?

    private static func stopAtExitNow() {
        guard let (bin, directory) = stopAtExit else { return }
        try? run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asServerUser: true)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func start() throws -> ThrowawayPostgres {
        let bin = try binDirectory()
        let directory = "/tmp/rb-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let data = directory + "/data"
        let sockets = directory + "/socket"
        for path in [directory, sockets] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            if isRoot { try changeOwner(path) }
        }
        let port = 5432
        try run(bin + "/initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C",
                                  "--no-sync", "--no-instructions"], asServerUser: true)
        // The watchdog goes first, so a crash while the server starts does not leave it running.
        try startWatchdog(bin: bin, directory: directory)
        let options = "-c listen_addresses='' -k \(sockets) -p \(port) -c fsync=off -c synchronous_commit=off "
            + "-c full_page_writes=off -c max_connections=60 -c shared_buffers=32MB"
        try run(bin + "/pg_ctl", ["-D", data, "-l", directory + "/server.log", "-o", options, "-w", "-t", "60",
                                  "start"], asServerUser: true)
        try run(bin + "/pg_isready", ["-h", sockets, "-p", "\(port)", "-t", "30"], asServerUser: false)
        return ThrowawayPostgres(directory: directory, socketDirectory: sockets, port: port, binDirectory: bin)
    }

    /// `pg_config --bindir`, or the newest /usr/lib/postgresql/*/bin, holding initdb and pg_ctl.
    private static func binDirectory() throws -> String {
        var candidates: [String] = []
        if let bindir = try? output("/usr/bin/env", ["pg_config", "--bindir"]) {
            candidates.append(bindir.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        let needed = ["initdb", "pg_ctl", "postgres", "createdb", "pg_isready"]
        guard let found = candidates.first(where: { dir in
            needed.allSatisfy { FileManager.default.isExecutableFile(atPath: dir + "/" + $0) }
        }) else {
            throw ThrowawayPostgresError("""
                PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found via pg_config --bindir or \
                in /usr/lib/postgresql/*/bin; run `make deps` to install PostgreSQL (Debian package postgresql)
                """)
        }
        return found
    }

    private static var isRoot: Bool { geteuid() == 0 }

    private static func changeOwner(_ path: String) throws {
        guard chown(path, 65_534, 65_534) == 0 else {
            throw ThrowawayPostgresError("cannot give \(path) to nobody (uid 65534): errno \(errno)")
        }
    }

    /// A detached shell that stops the server and deletes the directory once this process is gone.
    private static func startWatchdog(bin: String, directory: String) throws {
        let stop = serverUserPrefix.map { "\($0) " }.joined()
            + "'\(bin)/pg_ctl' -D '\(directory)/data' -m immediate -w stop"
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
            + "[ -d '\(directory)' ] && { \(stop); rm -rf '\(directory)'; }"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["/bin/sh", "-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The command prefix that drops root to nobody, or nothing when not root.
    private static var serverUserPrefix: [String] {
        isRoot ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
    }

    /// Runs a tool to completion (as the server user when asked); throws with its output if it fails.
    ///
    /// Spawned with posix_spawn and reaped with waitpid rather than Foundation's `Process`: `pg_ctl start` leaves
    /// a daemon behind, and `Process.waitUntilExit` was seen to miss pg_ctl's exit then (a zombie, and a hang).
    private static func run(_ tool: String, _ arguments: [String], asServerUser: Bool) throws {
        let prefix = asServerUser ? serverUserPrefix : []
        let command = prefix + [tool] + arguments
        let (status, output) = try spawnAndWait(command)
        guard status == 0 else {
            throw ThrowawayPostgresError("\(command.joined(separator: " ")) exited with \(status): \(output)")
        }
    }

    /// Runs `command` with stdin from /dev/null and stdout and stderr to a temporary file; returns the exit status
    /// and what it printed.
    private static func spawnAndWait(_ command: [String]) throws -> (Int32, String) {
        let log = "/tmp/rb-pg-cmd-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ["PATH=/usr/bin:/bin", "LC_ALL=C"]
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, command[0], &actions, nil, &argv, &envp)
        guard rc == 0 else { throw ThrowawayPostgresError("cannot start \(command[0]): errno \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ThrowawayPostgresError("waitpid for \(command[0]): errno \(errno)") }
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS by hand (macros are not imported).
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    private static func output(_ tool: String, _ arguments: [String]) throws -> String? {
        let result = try CommandResult.run(URL(fileURLWithPath: tool), arguments)
        return result.status == 0 ? result.standardOutput : nil
    }
}

/// Why the throwaway PostgreSQL server could not be started.
public struct ThrowawayPostgresError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = "throwaway PostgreSQL: " + description
    }
}
