import Foundation
import HSM
import SigningPolicy

/// The decision pipeline under load, end to end: planners on real connections to a real `ApplianceServer`, every
/// decision evaluated, audited and committed (`synchronous=FULL`) before its response, approvals signed in the HSM.
struct BenchPipeline {
    let keeper: HSMSigner
    let audit: HSMSigner
    let mode: SigningPolicy.Mode
    let clients: Int
    /// Measuring time per phase.
    let seconds: Double
    /// A scratch directory for the throwaway state databases and sockets.
    let directory: String
    /// Reports progress for a person watching (stderr).
    let progress: (String) -> Void

    /// Untimed requests at the start of the first approval round, so code and caches are warm.
    private var warmUpRequests: Int { clients * 4 }

    /// Approved proposals: rounds on fresh state databases (the policy allows 1,440 approvals per rolling 24 h),
    /// each ending at `BenchPolicy.approvalsPerRound` approvals or when the phase's time is up; only time inside
    /// rounds counts.
    func approved() throws -> (result: BenchLoad.Result, rounds: Int) {
        var total = BenchLoad.Result()
        var round = 0
        while total.elapsed < seconds {
            round += 1
            let appliance = try BenchAppliance(directory: "\(directory)/approved-\(round)", keeper: keeper,
                                               audit: audit, mode: mode, clients: clients)
            defer { appliance.stop() }
            var budget = BenchPolicy.approvalsPerRound
            if round == 1 {
                let warmUp = try BenchLoad(socketPath: appliance.socketPath, clients: clients,
                                           expectation: .approved, limit: warmUpRequests, seconds: 60,
                                           idPrefix: "warm").run()
                budget -= warmUp.count
            }
            let result = try BenchLoad(socketPath: appliance.socketPath, clients: clients, expectation: .approved,
                                       limit: budget, seconds: seconds - total.elapsed, idPrefix: "a").run()
            total.add(result)
            progress(String(format: "approved, round %d: %d in %.2f s (%.0f/s)", round, result.count,
                            result.elapsed, result.rate))
        }
        return (total, round)
    }

    /// Rejected proposals (wrong chain) on one state database: each rejection audited and group-committed before
    /// its response.
    func rejected() throws -> BenchLoad.Result {
        let appliance = try BenchAppliance(directory: "\(directory)/rejected", keeper: keeper, audit: audit,
                                           mode: mode, clients: clients)
        defer { appliance.stop() }
        _ = try BenchLoad(socketPath: appliance.socketPath, clients: clients, expectation: .rejected,
                          limit: warmUpRequests, seconds: 60, idPrefix: "warm").run()
        let result = try BenchLoad(socketPath: appliance.socketPath, clients: clients, expectation: .rejected,
                                   limit: nil, seconds: seconds, idPrefix: "r").run()
        progress(String(format: "rejected: %d in %.2f s (%.0f/s)", result.count, result.elapsed, result.rate))
        return result
    }
}
