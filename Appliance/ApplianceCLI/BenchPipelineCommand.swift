import ArgumentParser
import Foundation
import HSM
import SigningPolicy

/// `appliance bench` (default) / `appliance bench pipeline`: the whole decision pipeline's throughput and latency
/// through the real socket server, against the raw HSM signing rate measured in the same run.
struct BenchPipelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Measure approved and rejected proposals per second and their latency through the socket server.",
        discussion: """
            Runs on a throwaway SoftHSM2 token and throwaway state in a temporary directory (deleted afterwards), \
            with a built-in policy: the demo policy's adapters and limits with no cooldown, 1,440 rebalances a \
            day, no minimum change and a very large daily turnover budget, so identical proposals are approved \
            again and again while every rule still runs. N planner connections send proposals as fast as the \
            answers come back. Approvals run in rounds of at most 1,400 on fresh state databases (the policy's \
            24 h limit); only time inside rounds counts. The raw C_Sign rate on one session is measured for \
            half of --seconds before and after the approval phase; approved_vs_raw compares the two.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Measuring time of the approved and of the rejected phase, in seconds.",
                                            valueName: "S"))
    var seconds: Double = 3

    @Option(name: .long, help: ArgumentHelp("Concurrent planner connections.", valueName: "N"))
    var clients: Int = 10

    @Option(name: .long, help: ArgumentHelp("The policy's signing mode: keeper or safe.", valueName: "MODE"))
    var mode: String = "keeper"

    @Flag(name: .long, help: "Print the result as a JSON object.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 600 else {
            throw ValidationError("--seconds must be above 0 and at most 600")
        }
        guard (1...256).contains(clients) else {
            throw ValidationError("--clients must be between 1 and 256")
        }
        guard mode == "keeper" || mode == "safe" else {
            throw ValidationError("--mode must be keeper or safe")
        }
    }

    func run() throws {
        try CommandFailure.reporting { try benchmark() }
    }

    private func benchmark() throws {
        var template = Array((NSTemporaryDirectory() + "/appliance-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CommandFailure("cannot create a temporary directory for the benchmark",
                                 hint: "check that TMPDIR (or /tmp) exists and is writable")
        }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        progress("creating a throwaway SoftHSM2 token")
        let module = try SoftHSMConfiguration(directory: directory + "/softhsm").loadModule()
        let token = try TokenProvisioning(
            module: module, tokenLabel: "bench-\(getpid())", pinFile: directory + "/pin",
            soPINFile: directory + "/so-pin", keyLabels: ["keeper", "audit"]
        ).run()
        let keeper = token.pool.signer(for: token.keys[0])
        let audit = token.pool.signer(for: token.keys[1])
        let policyMode: SigningPolicy.Mode = mode == "safe" ? .safe : .keeper
        let pipeline = BenchPipeline(keeper: keeper, audit: audit, mode: policyMode, clients: clients,
                                     seconds: seconds, directory: directory, progress: progress)

        let hsm = SigningBenchmark(signer: keeper, seconds: seconds / 2)
        progress("raw C_Sign on one session (1 of 2)")
        let before = try hsm.run(concurrencies: [1])[0].1
        progress(String(format: "raw C_Sign: %.0f/s", before.raw))
        progress("approved proposals, \(clients) clients")
        let (approved, rounds) = try pipeline.approved()
        progress("raw C_Sign on one session (2 of 2)")
        let after = try hsm.run(concurrencies: [1])[0].1
        progress(String(format: "raw C_Sign: %.0f/s", after.raw))
        progress("rejected proposals, \(clients) clients")
        let rejected = try pipeline.rejected()

        let raw = (before.raw + after.raw) / 2
        let ethereum = (before.ethereum + after.ethereum) / 2
        let ratio = raw > 0 ? approved.rate / raw : 0
        if json {
            print(try JSONText.encode([
                "hsm_raw_sign_per_s": Int(raw.rounded()),
                "hsm_eth_sign_per_s": Int(ethereum.rounded()),
                "approved_per_s": Int(approved.rate.rounded()),
                "approved_vs_raw": Self.rounded(ratio, places: 3),
                "rejected_per_s": Int(rejected.rate.rounded()),
                "latency_ms": Self.latencies(approved),
                "rejected_latency_ms": Self.latencies(rejected),
                "approved": approved.count, "rejected": rejected.count, "approval_rounds": rounds,
                "clients": clients, "mode": mode, "seconds_per_phase": seconds,
                "goals": ["approved_vs_raw": 0.8, "rejected_per_s": 5000],
            ]))
        } else {
            print(String(format: "HSM raw C_Sign (1 session)   %8.0f /s", raw))
            print(String(format: "HSM Ethereum sign (1 session) %7.0f /s", ethereum))
            print(String(format: "approved proposals           %8.0f /s   %5.1f %% of raw (goal ≥ 80 %%)",
                         approved.rate, ratio * 100) + (ratio >= 0.8 ? "" : "  below goal"))
            print(String(format: "rejected proposals           %8.0f /s   (goal ≥ 5,000/s)", rejected.rate)
                  + (rejected.rate >= 5_000 ? "" : "  below goal"))
            print(String(format: "approved latency, %d clients  p50 %7.2f ms   p99 %7.2f ms", clients,
                         approved.latency(quantile: 0.5), approved.latency(quantile: 0.99)))
            print(String(format: "rejected latency, %d clients  p50 %7.2f ms   p99 %7.2f ms", clients,
                         rejected.latency(quantile: 0.5), rejected.latency(quantile: 0.99)))
            print("(\(approved.count) approved in \(rounds) round(s), \(rejected.count) rejected, mode \(mode))")
        }
    }

    private func progress(_ line: String) {
        StandardError.write("bench: \(line)\n")
    }

    private static func latencies(_ result: BenchLoad.Result) -> [String: Any] {
        ["p50": rounded(result.latency(quantile: 0.5), places: 3),
         "p99": rounded(result.latency(quantile: 0.99), places: 3)]
    }

    private static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
