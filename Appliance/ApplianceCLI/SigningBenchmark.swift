import Foundation
import HSM

/// Measures how many signatures per second a signer achieves, raw (`C_Sign` only) and as full Ethereum
/// signatures, with a given number of threads each signing in a loop.
struct SigningBenchmark {
    /// Signatures per second for one concurrency level.
    struct Rates {
        var raw: Double
        var ethereum: Double
    }

    /// Which signing path a round measures.
    enum Path { case raw, ethereum }

    let signer: HSMSigner
    /// Total measuring time per path and concurrency level.
    let seconds: Double
    /// Each measurement is split into this many alternating raw/Ethereum rounds, so background load on a shared
    /// machine affects both paths alike.
    let rounds = 4

    /// Rates for each concurrency level, in the order given.
    func run(concurrencies: [Int]) throws -> [(Int, Rates)] {
        var digests: [[UInt8]] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<64 { digests.append((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }) }
        let corpus = digests

        var results: [(Int, Rates)] = []
        for concurrency in concurrencies {
            // Warm-up: opens one session per thread, faults in code and tables.
            _ = try measure(.ethereum, threads: concurrency, seconds: 0.2, digests: corpus)
            var raw = (count: 0, elapsed: 0.0)
            var ethereum = (count: 0, elapsed: 0.0)
            for _ in 0..<rounds {
                let r = try measure(.raw, threads: concurrency, seconds: seconds / Double(rounds), digests: corpus)
                raw.count += r.count
                raw.elapsed += r.elapsed
                let e = try measure(.ethereum, threads: concurrency, seconds: seconds / Double(rounds),
                                    digests: corpus)
                ethereum.count += e.count
                ethereum.elapsed += e.elapsed
            }
            results.append((concurrency, Rates(raw: Double(raw.count) / raw.elapsed,
                                               ethereum: Double(ethereum.count) / ethereum.elapsed)))
        }
        return results
    }

    /// Runs `threads` threads signing until `seconds` have passed; returns the total count and the wall time.
    private func measure(_ path: Path, threads: Int, seconds: Double, digests: [[UInt8]]) throws
        -> (count: Int, elapsed: Double)
    {
        let tally = BenchmarkTally()
        let signer = self.signer
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        let group = DispatchGroup()
        for index in 0..<threads {
            group.enter()
            let thread = Thread {
                var count = 0
                var i = index * 17
                do {
                    while DispatchTime.now().uptimeNanoseconds < deadline {
                        let digest = digests[i % digests.count]
                        switch path {
                        case .raw: _ = try signer.rawSign(digest: digest)
                        case .ethereum: _ = try signer.sign(digest: digest)
                        }
                        count += 1
                        i += 1
                    }
                } catch {
                    tally.fail(error)
                }
                tally.add(count)
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let error = tally.error { throw error }
        return (tally.count, elapsed)
    }
}
