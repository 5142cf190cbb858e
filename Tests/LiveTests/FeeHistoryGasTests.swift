import Foundation
import TestSupport
import Testing

/// `planner run --rpc URL` takes its gas fields from a node's `eth_feeHistory` (a replayed node on 127.0.0.1).
@Suite(.serialized) struct FeeHistoryGasTests {
    /// Two blocks with base fees 10, 10 and next 12 gwei; tips at the 50th percentile 1 and 2 gwei.
    static func node() throws -> ReplayHTTPServer {
        try ReplayHTTPServer { request, _ in
            let call = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
            let id = call["id"] as? Int ?? 0
            let result = """
                {"oldestBlock": "0x10", "baseFeePerGas": ["0x2540be400", "0x2540be400", "0x2cb417800"],
                 "gasUsedRatio": [0.5, 0.6], "reward": [["0x3b9aca00"], ["0x77359400"]]}
                """
            return .json("{\"jsonrpc\": \"2.0\", \"id\": \(id), \"result\": \(result)}")
        }
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func gasComesFromTheNodesFeeHistory() throws {
        let server = try Self.node()
        let fixture = try LiveFixture()
        let result = try fixture.run(["--once", "--json", "--rpc", "http://127.0.0.1:\(server.port)/"])
        #expect(result.status == 0, "\(result.standardError)")
        let cycle = try LiveFixture.object(result.standardOutput)
        #expect(cycle["action"] as? String == "approved")
        #expect(cycle["gas_source"] as? String == "eth_feeHistory")
        let gas = try #require(cycle["gas"] as? [String: Any])
        // Highest recent base fee 12 gwei, median tip 2 gwei: max fee 2 × 12 + 2.
        #expect(gas["max_fee_per_gas"] as? String == "26000000000")
        #expect(gas["max_priority_fee_per_gas"] as? String == "2000000000")
        let call = try #require(server.requests.first)
        #expect(call.bodyText.contains("\"eth_feeHistory\""))
    }

    @Test(.enabled(if: LiveFixture.binariesBuilt, "appliance and planner are built alongside the tests"))
    func anUnreachableNodeIsAnErrorAndNothingIsSent() throws {
        let fixture = try LiveFixture()
        let result = try fixture.run(["--once", "--json", "--rpc", "http://127.0.0.1:9/", "--timeout", "5"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("eth_feeHistory"))
        let seq = (try fixture.status()["audit"] as? [String: Any])?["seq"] as? Int
        #expect(seq == 2)  // server_started and its checkpoint only: no proposal reached the appliance
    }
}
