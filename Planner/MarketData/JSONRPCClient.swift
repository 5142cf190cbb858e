import BigInt
import Ethereum
import Foundation

/// An Ethereum JSON-RPC 2.0 client over HTTP POST for reading live state: `eth_blockNumber`, `eth_call` with
/// ABI-encoded calldata, `eth_feeHistory`, and any other method through `call`.
///
/// Every response is checked before its result is used: `jsonrpc` must be "2.0", the id must be the request's,
/// an error object becomes `JSONRPCError(.serverError)`, and a body that is not such a response (not JSON,
/// truncated, a batch) is `.malformedResponse`. Retries and rate limits come from the transport.
public final class JSONRPCClient: Sendable {
    public let url: URL
    public let transport: any HTTPTransport
    /// Per request (each attempt).
    public let timeout: Swift.Duration
    private let ids = JSONRPCRequestIDs()

    public init(
        url: URL,
        transport: any HTTPTransport = HTTPRetryingTransport(base: HTTPURLSessionTransport()),
        timeout: Swift.Duration = .seconds(15)
    ) {
        self.url = url
        self.transport = transport
        self.timeout = timeout
    }

    /// Calls `method` and decodes its `result` as `Result`.
    public func call<Result: Decodable & Sendable>(
        _ method: String, _ params: [JSONRPCParameter], as type: Result.Type = Result.self
    ) async throws -> Result {
        let id = ids.next()
        let body = try JSONEncoder().encode(JSONRPCWire.Request(id: id, method: method, params: params))
        let response = try await transport.send(
            HTTPRequest(
                url: url, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: [UInt8](body), timeout: timeout))
        return try Self.decode(response, id: id, method: method, as: type)
    }

    /// `eth_blockNumber`: the latest block number.
    public func blockNumber() async throws -> UInt64 {
        try JSONRPCQuantity.uint64(try await call("eth_blockNumber", [], as: String.self), "eth_blockNumber")
    }

    /// `eth_call`: the return data of calling `to` with `data` at `block`, without a transaction.
    public func ethCall(to: Address, data: [UInt8], block: JSONRPCBlockTag = .latest) async throws -> [UInt8] {
        let call: JSONRPCParameter = .object([
            "to": .string(Hex.encode(to.bytes)), "data": .string(Hex.encode(data)),
        ])
        let result = try await self.call("eth_call", [call, .string(block.parameter)], as: String.self)
        return try JSONRPCQuantity.data(result, "eth_call result")
    }

    /// `eth_call` of a function by canonical signature; returns the ABI-decoded outputs of `outputs`.
    public func call(
        _ to: Address, signature: String, _ values: [ABIValue], returns outputs: [ABIType],
        block: JSONRPCBlockTag = .latest
    ) async throws -> [ABIValue] {
        let calldata = try ABI.encodeCall(signature: signature, values: values)
        let returned = try await ethCall(to: to, data: calldata, block: block)
        do {
            return try ABI.decode(outputs, returned)
        } catch {
            throw JSONRPCError(
                .invalidResult, "\(signature) returned \(returned.count) bytes that do not decode: \(error)")
        }
    }

    /// `eth_feeHistory` over `blockCount` blocks (1…1024) ending at `newestBlock`, with priority fees at
    /// `rewardPercentiles` (each in 0…100, non-decreasing).
    public func feeHistory(
        blockCount: Int, newestBlock: JSONRPCBlockTag = .latest, rewardPercentiles: [Double] = []
    ) async throws -> JSONRPCFeeHistory {
        guard (1...1024).contains(blockCount) else {
            throw JSONRPCError(.invalidArgument, "blockCount \(blockCount) is not in 1...1024")
        }
        guard rewardPercentiles.allSatisfy({ $0.isFinite && (0...100).contains($0) }),
            zip(rewardPercentiles, rewardPercentiles.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw JSONRPCError(.invalidArgument, "reward percentiles must be in 0...100 and non-decreasing") }
        let wire = try await call(
            "eth_feeHistory",
            [
                .string("0x" + String(blockCount, radix: 16)), .string(newestBlock.parameter),
                .array(rewardPercentiles.map { .double($0) }),
            ],
            as: JSONRPCWire.FeeHistory.self)
        let blocks = wire.gasUsedRatio.count
        guard (1...blockCount).contains(blocks), wire.baseFeePerGas.count == blocks + 1 else {
            throw JSONRPCError(
                .invalidResult,
                "fee history has \(blocks) gas ratios and \(wire.baseFeePerGas.count) base fees"
                    + " for \(blockCount) blocks")
        }
        guard wire.gasUsedRatio.allSatisfy({ $0.isFinite && (0...1).contains($0) }) else {
            throw JSONRPCError(.invalidResult, "a gas used ratio is outside 0...1")
        }
        var reward = [[BigUInt]]()
        if !rewardPercentiles.isEmpty {
            guard let rows = wire.reward, rows.count == blocks,
                rows.allSatisfy({ $0.count == rewardPercentiles.count })
            else {
                throw JSONRPCError(
                    .invalidResult, "fee history rewards are not \(blocks) rows of \(rewardPercentiles.count)")
            }
            reward = try rows.map { try $0.map { try JSONRPCQuantity.bigUInt($0, "reward") } }
        }
        return JSONRPCFeeHistory(
            oldestBlock: try JSONRPCQuantity.uint64(wire.oldestBlock, "oldestBlock"),
            baseFeePerGas: try wire.baseFeePerGas.map { try JSONRPCQuantity.bigUInt($0, "baseFeePerGas") },
            gasUsedRatio: wire.gasUsedRatio,
            reward: reward)
    }

    // MARK: Decoding

    static func decode<Result: Decodable>(
        _ response: HTTPResponse, id: Int, method: String, as type: Result.Type
    ) throws -> Result {
        let data = Data(response.body)
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(JSONRPCWire.Envelope.self, from: data) else {
            guard response.isSuccess else {
                throw HTTPError(.unexpectedStatus, "\(method): HTTP \(response.status)", status: response.status)
            }
            throw JSONRPCError(.malformedResponse, "\(method): the body is not a JSON-RPC response object")
        }
        guard envelope.jsonrpc == "2.0" else {
            throw JSONRPCError(.malformedResponse, "\(method): jsonrpc is \"\(envelope.jsonrpc)\", not \"2.0\"")
        }
        // A node that could not read the request answers with an error and a null id; that error is the answer.
        if let error = envelope.error, envelope.id == .number(id) || envelope.id == .null {
            throw JSONRPCError(
                .serverError, "\(method): error \(error.code): \(error.message)", rpcCode: error.code, data: error.data)
        }
        guard envelope.id == .number(id) else {
            throw JSONRPCError(.idMismatch, "\(method): response id \(envelope.id) is not the request's \(id)")
        }
        guard response.isSuccess else {
            throw HTTPError(.unexpectedStatus, "\(method): HTTP \(response.status)", status: response.status)
        }
        guard envelope.hasResult else {
            throw JSONRPCError(.malformedResponse, "\(method): the response has neither result nor error")
        }
        do {
            return try decoder.decode(JSONRPCWire.ResultOnly<Result>.self, from: data).result
        } catch {
            throw JSONRPCError(.malformedResponse, "\(method): the result is not of the expected form: \(error)")
        }
    }
}
