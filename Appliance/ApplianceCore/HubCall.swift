import BigInt
import Ethereum
import SigningPolicy

/// The two `StrategyHub` calls the appliance ever signs for (DESIGN.md, "On-chain interface"), built from a
/// proposal the policy approved, and read back from calldata by `bundle verify`.
public enum HubCall: Equatable, Sendable {
    case rebalance(targets: [Proposal.Target], reserveBps: Int, maxSlippageBps: Int, deadline: UInt64)
    case emergencyExit(safeHaven: Address, maxSlippageBps: Int, deadline: UInt64)

    /// A calldata blob that is not one of the hub's two calls.
    public struct DecodingError: Error, CustomStringConvertible {
        public let description: String
    }

    public static let rebalanceSignature = "rebalance((address,uint16)[],uint16,uint16,uint256)"
    public static let emergencyExitSignature = "emergencyExit(address,uint16,uint256)"

    /// The call for an approved proposal, with `deadline` = decision time + the policy's `proposal.max_age`.
    public init(proposal: Proposal, policy: SigningPolicy, decidedAt: Timestamp) {
        let deadline = UInt64(max(0, (decidedAt + policy.proposal.maxAge).seconds))
        switch proposal.kind {
        case .rebalance:
            self = .rebalance(targets: proposal.targets, reserveBps: proposal.reserveBps,
                              maxSlippageBps: proposal.maxSlippageBps, deadline: deadline)
        case .emergencyExit:
            // The policy approved it only if the targets are exactly the safe haven.
            let haven = policy.safeHaven ?? proposal.targets.first?.adapter ?? .zero
            self = .emergencyExit(safeHaven: haven, maxSlippageBps: proposal.maxSlippageBps, deadline: deadline)
        }
    }

    public var functionName: String {
        switch self {
        case .rebalance: "rebalance"
        case .emergencyExit: "emergencyExit"
        }
    }

    /// ABI-encoded calldata (selector ‖ arguments).
    public func calldata() throws -> [UInt8] {
        switch self {
        case let .rebalance(targets, reserve, slippage, deadline):
            let tuples = targets.map {
                ABIValue.tuple([.address($0.adapter), .uint(BigUInt($0.weightBps))])
            }
            return try ABI.encodeCall(signature: Self.rebalanceSignature, values: [
                .array(tuples), .uint(BigUInt(reserve)), .uint(BigUInt(slippage)), .uint(BigUInt(deadline)),
            ])
        case let .emergencyExit(haven, slippage, deadline):
            return try ABI.encodeCall(signature: Self.emergencyExitSignature, values: [
                .address(haven), .uint(BigUInt(slippage)), .uint(BigUInt(deadline)),
            ])
        }
    }

    /// Reads calldata back (strictly: the selector must be one of the two, the arguments canonical).
    public init(calldata: [UInt8]) throws {
        guard calldata.count >= 4 else { throw DecodingError(description: "calldata shorter than a selector") }
        let selector = Array(calldata.prefix(4))
        if selector == ABI.selector(Self.rebalanceSignature) {
            let values = try ABI.decodeCall(signature: Self.rebalanceSignature, calldata: calldata)
            guard values.count == 4, case .array(let tuples) = values[0], case .uint(let reserve) = values[1],
                  case .uint(let slippage) = values[2], case .uint(let deadline) = values[3]
            else { throw DecodingError(description: "rebalance arguments have the wrong shape") }
            var targets: [Proposal.Target] = []
            for tuple in tuples {
                guard case .tuple(let fields) = tuple, fields.count == 2, case .address(let adapter) = fields[0],
                      case .uint(let weight) = fields[1]
                else { throw DecodingError(description: "a rebalance target has the wrong shape") }
                targets.append(Proposal.Target(adapter: adapter, weightBps: Int(weight)))
            }
            guard deadline <= BigUInt(UInt64.max) else { throw DecodingError(description: "deadline out of range") }
            self = .rebalance(targets: targets, reserveBps: Int(reserve), maxSlippageBps: Int(slippage),
                              deadline: UInt64(deadline))
        } else if selector == ABI.selector(Self.emergencyExitSignature) {
            let values = try ABI.decodeCall(signature: Self.emergencyExitSignature, calldata: calldata)
            guard values.count == 3, case .address(let haven) = values[0], case .uint(let slippage) = values[1],
                  case .uint(let deadline) = values[2], deadline <= BigUInt(UInt64.max)
            else { throw DecodingError(description: "emergencyExit arguments have the wrong shape") }
            self = .emergencyExit(safeHaven: haven, maxSlippageBps: Int(slippage), deadline: UInt64(deadline))
        } else {
            throw DecodingError(description: "calldata selector \(Hex.encode(selector)) is not a StrategyHub call")
        }
    }
}
