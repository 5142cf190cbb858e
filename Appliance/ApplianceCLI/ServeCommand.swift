import ApplianceCore
import ArgumentParser
import Dispatch
import Ethereum
import Foundation
import HSM
import Sandbox
import SigningPolicy
import Wire

/// `appliance serve`: the appliance daemon. Checks its state, then answers planner proposals on a Unix socket
/// until SIGTERM or SIGINT.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve proposals on a Unix socket until SIGTERM or SIGINT.",
        discussion: """
            Before serving, the whole audit chain is verified and an installed policy is required; either \
            missing, the appliance refuses to start. Peers are admitted by the uid the kernel reports for the \
            socket (SO_PEERCRED): the appliance's own uid (for operator commands such as `appliance status`) and \
            every --planner-uid. The socket is created with mode 0660, so a planner running as another user must \
            also be able to open it (same group). On SIGTERM or SIGINT the appliance stops accepting, answers \
            requests already in progress, signs an audit checkpoint and exits 0.

            Hardening: core dumps are off from the start (PR_SET_DUMPABLE 0, RLIMIT_CORE 0), and so is \
            writable-executable memory (PR_SET_MDWE, on Linux 6.3 and later). The \
            state directory, its configuration and database, the PKCS#11 module and the PIN must belong to the \
            appliance's user (or root) and must not be writable by group or others (the PIN and the state \
            directory: no group or other access at all); otherwise the appliance refuses to start and names the \
            `chmod` that fixes it. The PIN is read into a locked page and zeroed after login. Once the token is \
            logged in, the database open and the socket bound, a seccomp allowlist is loaded (with no_new_privs) \
            for every thread: from then on execve, fork, internet sockets and everything else serving does not \
            need fail with EPERM. `appliance sandbox-selftest` shows the same filter refusing them.

            Under systemd (hardening/appliance.service), --pin-credential NAME reads the PIN from the credential \
            NAME (LoadCredential=NAME:/etc/rebalancer/pin), i.e. $CREDENTIALS_DIRECTORY/NAME, instead of the PIN \
            file named in STATE/appliance.json.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The state directory made by `appliance init`.", valueName: "DIR"))
    var state: String

    @Option(name: .long, help: ArgumentHelp("The Unix socket to listen on (replaced if it exists).",
                                            valueName: "PATH"))
    var socket: String

    @Option(name: .customLong("planner-uid"), parsing: .singleValue,
            help: ArgumentHelp("A uid allowed to send requests (repeatable).", valueName: "UID"))
    var plannerUIDs: [UInt32] = []

    @Option(name: .customLong("max-connections"),
            help: ArgumentHelp("Connections served at once; one more is answered BUSY.", valueName: "N"))
    var maxConnections: Int = 32

    @Option(name: .customLong("read-timeout"),
            help: ArgumentHelp("Seconds a peer has to deliver a whole frame once it has started.", valueName: "S"))
    var readTimeout: Double = 5

    @Option(name: .customLong("idle-timeout"),
            help: ArgumentHelp("Seconds a connection may wait between requests.", valueName: "S"))
    var idleTimeout: Double = 60

    @Option(name: .customLong("pin-credential"),
            help: ArgumentHelp("Read the PIN from the systemd credential NAME ($CREDENTIALS_DIRECTORY/NAME) "
                               + "instead of the PIN file in appliance.json.", valueName: "NAME"))
    var pinCredential: String?

    @Flag(name: .customLong("no-seccomp"),
          help: "Do not load the seccomp allowlist (for debugging a refused system call only; never in production).")
    var noSeccomp = false

    func validate() throws {
        if let pinCredential {
            guard !pinCredential.isEmpty, !pinCredential.contains("/"), pinCredential != ".", pinCredential != ".."
            else {
                throw ValidationError("--pin-credential takes a credential name (as in LoadCredential=NAME:…), "
                                      + "not a path")
            }
        }
        guard maxConnections >= 1 && maxConnections <= 4_096 else {
            throw ValidationError("--max-connections must be between 1 and 4096")
        }
        guard readTimeout > 0, readTimeout <= 3_600 else {
            throw ValidationError("--read-timeout must be more than 0 and at most 3600 seconds")
        }
        guard idleTimeout > 0, idleTimeout <= 86_400 else {
            throw ValidationError("--idle-timeout must be more than 0 and at most 86400 seconds")
        }
    }

    func run() throws {
        try CommandFailure.reporting { try serve() }
    }

    private func serve() throws {
        // SIGTERM and SIGINT are blocked before any thread exists, so every thread inherits the block and the
        // signal stays pending until the main thread takes it with sigwait once serving. (A dispatch signal
        // source blocks it only in some threads; a SIGTERM the kernel handed to another thread was lost.)
        StopSignals.block()
        // Before anything secret is read: no core dump, no ptrace by another process of this user; and before any
        // module is loaded: no writable-executable memory (where the kernel has PR_SET_MDWE).
        try CoreDumps.disable()
        WritableExecutableMemory.deny()
        let directory = StateDirectory(state)
        let layout = StateLayout(directory: directory.path)
        var hsm = try HSMConfiguration.load(stateDirectory: directory.path)
        try directory.checkTrusted(configuration: hsm)
        guard FileManager.default.fileExists(atPath: layout.database) else {
            throw CommandFailure("no appliance database at \(layout.database), so no policy is installed",
                                 hint: "run `appliance init --state \(directory.path) --policy FILE` first")
        }
        if let pinCredential { hsm.pinFile = try credentialPath(pinCredential) }
        let pool = try hsm.openPool()
        let keeper = try pool.signer(label: hsm.keeperKeyLabel)
        let audit = try pool.signer(label: hsm.auditKeyLabel)
        // Compared as 20-byte values (DESIGN.md's invariant), whatever case the configuration file spells them in.
        guard (try? Address(hex: hsm.keeperAddress)) == keeper.address,
              (try? Address(hex: hsm.auditAddress)) == audit.address
        else {
            throw CommandFailure("the token's keys are not the ones recorded in \(directory.file("appliance.json"))",
                                 hint: "check the token label and module in that file; never re-key a live appliance")
        }
        let engine: DecisionEngine
        do {
            engine = try DecisionEngine(databasePath: layout.database, keys: .init(keeper: keeper, audit: audit),
                                        clock: { Timestamp(seconds: Int64(time(nil))) })
        } catch {
            throw CommandFailure("cannot open the appliance database \(layout.database): \(error)",
                                 hint: "check the state directory's permissions and free space")
        }
        try checkAuditChain(engine: engine, auditAddress: audit.address, directory: directory)
        let now = Timestamp(seconds: Int64(time(nil)))
        guard try engine.state.activePolicy(at: now) != nil else {
            throw CommandFailure("no policy is installed (or none is effective yet) in \(layout.database)",
                                 hint: "run `appliance init --state \(directory.path) --policy FILE`, or activate "
                                     + "a policy with `appliance policy activate`")
        }
        // The status both proves the installed policy loads and names what the start-up line reports.
        let status: StatusResponse
        switch engine.submit(.status) {
        case .status(let s): status = s
        case .failure(let e):
            throw CommandFailure("the appliance cannot start: \(e.message)",
                                 hint: "check the installed policy with `appliance policy check`")
        default:
            throw CommandFailure("the appliance cannot start: unexpected engine answer", hint: "report this defect")
        }
        let limits = ServerLimits(
            maxConnections: maxConnections,
            readTimeoutMilliseconds: ServerLimits.milliseconds(seconds: readTimeout),
            idleTimeoutMilliseconds: ServerLimits.milliseconds(seconds: idleTimeout))
        let server = ApplianceServer(engine: engine, socketPath: socket, layout: layout,
                                     allowedUIDs: Set([getuid()] + plannerUIDs), limits: limits)

        do {
            try server.start()
        } catch {
            throw CommandFailure("cannot listen on \(socket): \(error)",
                                 hint: "check the socket's directory exists and is writable, and the path is "
                                     + "shorter than 108 bytes")
        }
        // The start-up checkpoint anchors everything up to and including the `server_started` entry.
        if case .failure(let e) = engine.checkpointNow() {
            server.stop()
            throw CommandFailure("cannot sign the start-up audit checkpoint: \(e.message)",
                                 hint: "check the HSM and the state directory's free space")
        }
        if !noSeccomp {
            do {
                try SystemCallFilter.appliance.install()
            } catch {
                server.stop()
                throw error
            }
        }
        StandardError.write("appliance: serving on \(socket) (mode \(status.mode.rawValue), keeper "
                            + "\(keeper.address.checksummed), policy sha256 \(status.policySHA256), seccomp "
                            + (noSeccomp ? "off" : "on") + ")\n")
        StopSignals.wait()
        StandardError.write("appliance: stopping: answering requests in progress\n")
        server.stop()
        StandardError.write("appliance: stopped; audit head \(engine.audit.head.seq) is checkpointed\n")
    }

    /// `$CREDENTIALS_DIRECTORY/NAME`: where systemd puts the credential `LoadCredential=NAME:…` for this service.
    private func credentialPath(_ name: String) throws -> String {
        guard let directory = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
            throw CommandFailure("--pin-credential \(name) needs $CREDENTIALS_DIRECTORY, which is not set",
                                 hint: "run under systemd with LoadCredential=\(name):/etc/rebalancer/pin "
                                     + "(hardening/appliance.service), or leave out --pin-credential")
        }
        return directory + "/" + name
    }

    /// Refuses to serve on a broken audit chain: every decision after it would extend a log nobody can trust.
    private func checkAuditChain(engine: DecisionEngine, auditAddress: Address, directory: StateDirectory) throws {
        let verifier = AuditVerifier(auditAddress: auditAddress) { digest, signature in
            try? Secp256k1.recoverAddress(digest: digest, signature: signature)
        }
        let report = try verifier.verify(engine.audit)
        if let problem = report.problem {
            throw CommandFailure("the audit log is broken (\(problem.message)); refusing to serve",
                                 hint: "run `appliance audit verify --state \(directory.path)` for the details and "
                                     + "restore the state directory from a backup")
        }
    }
}

/// SIGTERM and SIGINT, taken synchronously by the main thread: blocked in every thread from the start, then
/// collected with `sigwait`, so neither can be lost to a thread that ignores it nor run code in a signal context.
enum StopSignals {
    private static var set: sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        return signals
    }

    /// Blocks both in the calling thread and so in every thread it starts afterwards.
    static func block() {
        var signals = set
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Waits until one of them arrives (or is already pending).
    static func wait() {
        var signals = set
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
    }
}
