import ArgumentParser
import Foundation
import HSM

/// `appliance bench hsm`: raw `C_Sign` rate against the full Ethereum signing path, at 1 and 2 sessions.
struct BenchHSMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hsm",
        abstract: "Compare raw C_Sign throughput with full Ethereum signing (low-s, recovery id, verify).",
        discussion: """
            Measures signatures per second at 1 and 2 concurrent sessions (one thread each), alternating raw and \
            Ethereum rounds so both see the same machine load. With --state it uses the appliance's token and \
            keeper key; without, a throwaway SoftHSM2 token in a temporary directory, deleted afterwards.
            """
    )

    @Option(name: .long, help: ArgumentHelp("An initialised state directory (see `appliance init`).",
                                            valueName: "DIR"))
    var state: String?

    @Option(name: .customLong("pin-file"),
            help: ArgumentHelp("The user PIN file, if not the one recorded in the state directory.", valueName: "F"))
    var pinFile: String?

    @Option(name: .long, help: ArgumentHelp("Measuring time per mode and concurrency, in seconds.", valueName: "S"))
    var seconds: Double = 2

    @Flag(name: .long, help: "Print the result as a JSON object.")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 600 else {
            throw ValidationError("--seconds must be above 0 and at most 600")
        }
    }

    func run() throws {
        try CommandFailure.reporting { try benchmark() }
    }

    private func benchmark() throws {
        var temporaryDirectory: String?
        defer { if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) } }

        let signer: HSMSigner
        if let state {
            var configuration = try HSMConfiguration.load(stateDirectory: StateDirectory(state).path)
            if let pinFile { configuration.pinFile = URL(fileURLWithPath: pinFile).standardizedFileURL.path }
            signer = try configuration.openPool().signer(label: configuration.keeperKeyLabel)
        } else {
            let directory = FileManager.default.temporaryDirectory.path + "/appliance-bench-\(UUID().uuidString)"
            temporaryDirectory = directory
            try StateDirectory(directory).prepare()
            let module = try SoftHSMConfiguration(directory: directory + "/softhsm").loadModule()
            let result = try TokenProvisioning(
                module: module, tokenLabel: "bench", pinFile: directory + "/pin", soPINFile: directory + "/so-pin",
                keyLabels: ["bench"]
            ).run()
            signer = result.pool.signer(for: result.keys[0])
        }

        let benchmark = SigningBenchmark(signer: signer, seconds: seconds)
        let report = try benchmark.run(concurrencies: [1, 2])

        if json {
            var raw: [String: Any] = [:]
            var eth: [String: Any] = [:]
            var ratio: [String: Any] = [:]
            for (concurrency, rates) in report {
                raw[String(concurrency)] = Int(rates.raw.rounded())
                eth[String(concurrency)] = Int(rates.ethereum.rounded())
                ratio[String(concurrency)] = (rates.ethereum / rates.raw * 1000).rounded() / 1000
            }
            print(try JSONText.encode([
                "raw_sign_per_s": raw, "eth_sign_per_s": eth, "eth_to_raw_ratio": ratio,
                "seconds_per_measurement": seconds, "signer_address": signer.address.checksummed,
            ]))
        } else {
            print("sessions  raw C_Sign/s  Ethereum sign/s  ratio")
            for (concurrency, rates) in report {
                let line = String(format: "%8d  %12.0f  %15.0f  %5.3f", concurrency, rates.raw, rates.ethereum,
                                  rates.ethereum / rates.raw)
                print(line)
            }
        }
    }
}
