import ArgumentParser
import Foundation
import Live
import MarketData
import Risk
import SigningPolicy

/// `planner run`: the live loop against the appliance.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the planner's live loop against the appliance (one cycle with --once).",
        discussion: """
            Each cycle refreshes the data, forecasts each market's 7-day APY, scores risk, decides, submits a
            proposal to the appliance and acts on its decision: an approval is recorded (keeper transaction hash, or
            the Safe bundle copied to STATE/bundles); a rejection is recorded with its reasons and the planner backs
            off (until the cooldown ends for COOLDOWN_ACTIVE, else 15 min doubling per rejection in a row, at most
            24 h), never resubmitting in a loop. When the risk engine sees a kill-switch condition (a stablecoin
            beyond its peg's kill level, a held market above 95 % utilisation or down 30 % in TVL in 24 h) the
            planner engages the appliance's kill switch and proposes an emergency exit to the safe haven.

            --as-of replays the data "as if live": the market state is the history cut at that time (advancing
            with the real clock between cycles), while proposals carry the real time, as the appliance requires.

            State (cycles, proposals, decisions, back-off) is kept in STATE/planner.sqlite. With --metrics-port,
            Prometheus metrics are served on http://127.0.0.1:PORT/metrics (0 picks a free port, printed on
            standard error).

            Exit status with --once: 0 approved, held or backing off; 3 rejected; 1 for an error.

            Examples:
              planner run --socket /run/rebalancer/appliance.sock --once
              planner run --socket S --once --as-of 2023-03-11T06:00:00Z --json
              planner run --socket S --interval 3600 --metrics-port 9464
            """)

    @Option(help: ArgumentHelp("The appliance's Unix socket.", valueName: "PATH"))
    var socket: String

    @Flag(help: "Run one cycle and exit.")
    var once = false

    @Option(help: ArgumentHelp("History directory (laid out like ../shared/data).", valueName: "DIR"))
    var data: String = "Planner/history"

    @Option(help: ArgumentHelp("The appliance's policy file (its SHA-256 must match the appliance's).",
                               valueName: "FILE"))
    var policy: String = "policy/demo.toml"

    @Option(help: ArgumentHelp("Protocol facts for the risk score.", valueName: "FILE"))
    var facts: String = "Planner/Risk/protocol-facts.json"

    @Option(help: ArgumentHelp("The planner's state directory.", valueName: "DIR"))
    var state: String = "planner-state"

    @Option(help: ArgumentHelp("Replay the data from this time (RFC 3339, or YYYY-MM-DD for the end of that day).",
                               valueName: "TIME"))
    var asOf: String?

    @Option(help: ArgumentHelp("Seconds between cycles.", valueName: "S"))
    var interval: Int = 3_600

    @Option(help: ArgumentHelp("Stop after this many cycles (default: run until SIGTERM or SIGINT).", valueName: "N"))
    var cycles: Int?

    @Option(help: ArgumentHelp("Take gas prices from this node's eth_feeHistory (default: the data's history).",
                               valueName: "URL"))
    var rpc: String?

    @Option(help: ArgumentHelp("The capital the weights apply to, in USD (turns gas into bps).", valueName: "USD"))
    var capitalUSD: Double = 1_000_000

    @Option(help: ArgumentHelp("Serve Prometheus metrics on 127.0.0.1:PORT (0: any free port).", valueName: "PORT"))
    var metricsPort: Int?

    @Option(help: ArgumentHelp("Seconds to wait for each appliance answer.", valueName: "S"))
    var timeout: Double = 30

    @Flag(help: "Print each cycle as one JSON object per line.")
    var json = false

    func validate() throws {
        guard interval >= 1 else { throw ValidationError("--interval must be at least 1 second") }
        if let cycles, cycles < 1 { throw ValidationError("--cycles must be at least 1") }
        guard capitalUSD.isFinite, capitalUSD > 0 else { throw ValidationError("--capital-usd must be positive") }
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be in 0...65535")
        }
        guard timeout > 0, timeout <= 3_600 else { throw ValidationError("--timeout must be in (0, 3600] seconds") }
    }

    func run() throws {
        // A running loop stops on SIGTERM or SIGINT between cycles; --once just runs to its end.
        if !once { StopSignal.block() }
        let replayFrom = try parseAsOf()
        let policyFile: PolicyFile
        let factsFile: ProtocolFacts
        do {
            policyFile = try PolicyFile(path: policy)
        } catch {
            PlannerFailure("\(error)", hint: "pass --policy with the policy file the appliance runs").exit()
        }
        do {
            factsFile = try ProtocolFacts.load(URL(fileURLWithPath: facts))
        } catch {
            PlannerFailure("cannot read the facts file \(facts): \(error)",
                           hint: "run from the repository root or pass --facts FILE").exit()
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory), isDirectory.boolValue else {
            PlannerFailure("no data directory at \(data)", hint: "pass --data DIR laid out like ../shared/data").exit()
        }
        let gasSource: any GasSource
        if let rpc {
            guard let url = URL(string: rpc), ["http", "https"].contains(url.scheme ?? "") else {
                PlannerFailure("--rpc \(rpc) is not an http(s) URL", hint: "pass the node's JSON-RPC URL").exit()
            }
            gasSource = FeeHistoryGasSource(client: JSONRPCClient(url: url))
        } else {
            gasSource = HistoryGasSource()
        }
        let store: PlannerStateStore
        do {
            store = try PlannerStateStore(directory: state)
        } catch {
            PlannerFailure("\(error)", hint: "pass --state DIR, a directory this user can write").exit()
        }
        let metrics = PlannerMetrics()
        var server: MetricsServer?
        if let metricsPort {
            do {
                server = try MetricsServer(port: UInt16(metricsPort), metrics: metrics)
            } catch {
                PlannerFailure("\(error)", hint: "pick another --metrics-port").exit()
            }
            FileHandle.standardError.write(Data("planner: metrics on http://127.0.0.1:\(server!.port)/metrics\n".utf8))
        }
        defer { server?.stop() }
        let configuration = LiveConfiguration(
            socketPath: socket, dataDirectory: HistoryDirectory(root: URL(fileURLWithPath: data)), facts: factsFile,
            policy: policyFile.policy, policySHA256: policyFile.sha256, replayFrom: replayFrom,
            capitalUSD: capitalUSD, stateDirectory: state,
            timeoutMilliseconds: Int32(timeout * 1_000))
        let loop = LiveLoop(configuration: configuration, store: store, metrics: metrics, gasSource: gasSource,
                            clock: { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) })

        var count = 0
        while true {
            let report: CycleReport
            do {
                report = try loop.runCycle()
            } catch {
                PlannerFailure("\(error)", hint: "check --state \(state): the planner cannot record its cycles").exit()
            }
            count += 1
            // Unbuffered: a script or a log collector sees each cycle as it ends.
            FileHandle.standardOutput.write(Data(((json ? report.json : report.describe) + "\n").utf8))
            if once {
                if report.action == .error {
                    PlannerFailure(report.message, hint: Self.hint(for: report.message, socket: socket)).exit()
                }
                if report.action == .rejected { throw ExitCode(3) }
                return
            }
            if report.action == .error {
                FileHandle.standardError.write(Data("planner: cycle \(report.cycle) failed: \(report.message)\n".utf8))
            }
            if let cycles, count >= cycles { return }
            for _ in 0..<interval {
                if StopSignal.wait(seconds: 1) { return }
            }
        }
    }

    private func parseAsOf() throws -> Timestamp? {
        guard let asOf else { return nil }
        if let time = Timestamp(rfc3339: asOf) { return time }
        if let day = UTCDate.parseISODate(asOf) { return Timestamp(seconds: day.seconds + 86_399) }
        PlannerFailure("--as-of \(asOf) is not a time",
                       hint: "pass RFC 3339 (2023-03-11T06:00:00Z) or YYYY-MM-DD").exit()
    }

    static func hint(for message: String, socket: String) -> String {
        if message.contains("policy") && message.contains("runs") {
            return "pass --policy with the file the appliance was initialised with"
        }
        if message.contains("outside the data") || message.contains("no market of the policy") {
            return "pass an --as-of inside the data, or --data DIR holding data for that time"
        }
        if message.contains("eth_feeHistory") {
            return "check the node at --rpc, or leave --rpc out to take gas prices from the data"
        }
        if message.contains("connect") || message.contains("appliance") {
            return "is `appliance serve --socket \(socket)` running, and may this user connect to it?"
        }
        return "see `planner run --help`"
    }
}

/// SIGTERM and SIGINT ask the loop to stop after the current cycle: blocked in every thread from the start (before
/// the metrics server or any dispatch thread exists), then taken with `sigtimedwait` between cycles, so neither can
/// be lost to another thread nor run code in a signal context (as `appliance serve` takes them with `sigwait`).
enum StopSignal {
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

    /// Waits up to `seconds` for SIGTERM or SIGINT (or takes one already pending); true if one came.
    static func wait(seconds: Int) -> Bool {
        var signals = set
        var timeout = timespec(tv_sec: seconds, tv_nsec: 0)
        let received = sigtimedwait(&signals, nil, &timeout)
        return received == SIGTERM || received == SIGINT
    }
}
