import BigInt
import Ethereum
import SigningPolicy
import Wire

/// Shared inputs for the Wire tests.
enum Fixtures {
    /// Aave V3 Pool, Curve 3pool and USDC on Ethereum mainnet (EIP-55 checksummed).
    static let aaveV3Pool = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"
    static let curve3Pool = "0xbEbc44782C7dB0a1A60Cb6fe97d0b483032FF1C7"
    static let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"

    /// The example proposal of DESIGN.md with real addresses, as a planner would send it (pretty-printed).
    static let designExample = """
        {
          "id": "2026-11-27T09-00-a1",
          "created_at": "2026-11-27T09:00:00Z",
          "chain_id": 1,
          "kind": "rebalance",
          "targets": [ {"adapter": "\(aaveV3Pool)", "weight_bps": 4500},
                       {"adapter": "\(curve3Pool)", "weight_bps": 5000} ],
          "reserve_bps": 500,
          "max_slippage_bps": 10,
          "gas": {"max_fee_per_gas": "30000000000", "max_priority_fee_per_gas": "1000000000", "gas_limit": 450000},
          "expected": {"apy_gain_bps": 40, "gas_cost_bps": 2, "max_risk_score": 35},
          "evidence": {"model": "ppo-2026-11", "data_through": "2026-11-27T08:00:00Z"}
        }
        """

    static var designExampleRequest: String { "{\"type\": \"propose\", \"proposal\": \(designExample)}" }

    static func address(_ hex: String) -> Address {
        // Fixed, known-good addresses: a failure here is a defect in the fixture.
        try! Address(hex: hex)
    }

    static var proposal: Proposal {
        Proposal(
            id: "2026-11-27T09-00-a1",
            createdAt: Timestamp(rfc3339: "2026-11-27T09:00:00Z")!,
            chainID: 1,
            kind: .rebalance,
            targets: [
                .init(adapter: address(aaveV3Pool), weightBps: 4500),
                .init(adapter: address(curve3Pool), weightBps: 5000),
            ],
            reserveBps: 500,
            maxSlippageBps: 10,
            gas: .init(maxFeePerGas: 30_000_000_000, maxPriorityFeePerGas: 1_000_000_000, gasLimit: 450_000),
            expected: .init(apyGainBps: 40, gasCostBps: 2, maxRiskScore: 35),
            evidence: [
                .init(key: "model", value: "ppo-2026-11"), .init(key: "data_through", value: "2026-11-27T08:00:00Z"),
            ])
    }

    /// A request payload from text.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The error a payload decodes to, or nil if it decodes.
    static func decodeError(_ text: String) -> WireError? { decodeError(bytes(text)) }

    static func decodeError(_ payload: [UInt8]) -> WireError? {
        do {
            _ = try Request.decode(payload)
            return nil
        } catch {
            return error
        }
    }

    /// The request with one proposal field replaced by raw JSON text (or removed when `json` is nil).
    static func proposalRequest(replacing path: [String], with json: String?) -> String {
        var value = Request.propose(proposal).jsonValue
        value = replace(in: value, path: ["proposal"] + path, with: json.map { raw in
            // Parse with a deep limit so tests can plant any value; invalid test input is a fixture defect.
            try! JSONParser.parse(Array(raw.utf8), maxDepth: 64)
        })
        return value.serialized()
    }

    private static func replace(in value: JSONValue, path: [String], with new: JSONValue?) -> JSONValue {
        guard let head = path.first else { return new ?? .null }
        switch value {
        case .object(var members):
            if let i = members.firstIndex(where: { $0.key == head }) {
                if path.count == 1, new == nil {
                    members.remove(at: i)
                } else {
                    members[i].value = replace(in: members[i].value, path: Array(path.dropFirst()), with: new)
                }
            } else if path.count == 1, let new {
                members.append(.init(head, new))
            }
            return .object(members)
        case .array(var elements):
            if let i = Int(head), elements.indices.contains(i) {
                elements[i] = replace(in: elements[i], path: Array(path.dropFirst()), with: new)
            }
            return .array(elements)
        default:
            return value
        }
    }
}

