import BigInt
import Ethereum
import Foundation
import MarketData
import TestSupport

/// JSON-RPC responses for the replay server, and the on-chain values they carry.
///
/// What is real and what is constructed:
/// - Reserve data: the three rates are the real Aave v3 USDC rates of 2023-03-11 08:00 UTC (block 16803513, from
///   `aave_v3_usdc_eth.csv`: lender variable 1.8250307109765247 %, borrower variable 3.002082167122625 %, borrower
///   stable 5.375260270890328 %) written in ray as the Pool stores them, and `lastUpdateTimestamp` is that row's
///   timestamp. The aToken and debt-token addresses are those of the mainnet USDC reserve. The configuration
///   bitmap, indices, reserve id, strategy address, treasury, unbacked and isolation-mode debt are constructed,
///   plausible values. The return data is their ABI encoding, as `eth_call` would return it.
/// - Chainlink round: `roundId`, `answer` (0.88 USD) and `updatedAt` are the real USDC/USD round 983 of phase 2,
///   2023-03-11 07:51:23 UTC, from `chainlink/usdc_usd_depeg_230312.csv`; `startedAt` = `updatedAt` and
///   `answeredInRound` = `roundId` are constructed (the file does not carry them).
/// - Fee history: constructed in geth's format with plausible mainnet values.
enum JSONRPCFixture {
    static let pool = try! Address(hex: "0x87870bca3f3fd6335c3f4ce8392d69350b4fa4e2")
    static let usdc = try! Address(hex: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")
    static let usdcUSDFeed = try! Address(hex: "0x8fffffd4afb6115b954bd326cbe7b4ba576818f6")

    static let reserve: [ABIValue] = [
        .uint(BigUInt("379853412004128638591174193021763920232398848")),  // configuration (constructed)
        .uint(BigUInt("1034913812456328127894471093")),  // liquidityIndex (constructed)
        .uint(BigUInt("18250307109765247000000000")),  // currentLiquidityRate: 1.8250307109765247 % (real)
        .uint(BigUInt("1049871029712348819238471623")),  // variableBorrowIndex (constructed)
        .uint(BigUInt("30020821671226250000000000")),  // currentVariableBorrowRate: 3.002082167122625 % (real)
        .uint(BigUInt("53752602708903280000000000")),  // currentStableBorrowRate: 5.375260270890328 % (real)
        .uint(1_678_521_575),  // lastUpdateTimestamp (the row's timestamp)
        .uint(3),  // id (constructed)
        .address(try! Address(hex: "0x98c23e9d8f34fefb1b7bd6a91b7ff122f4e16f5c")),  // aEthUSDC
        .address(try! Address(hex: "0xb0fe3d292f4bd50de902ba5bdf120ad66e9d7a39")),  // stableDebtEthUSDC
        .address(try! Address(hex: "0x72e95b8931767c79ba4eee721354d6e99a61d004")),  // variableDebtEthUSDC
        .address(try! Address(hex: "0x00000000000000000000000000000000000057a7")),  // strategy (constructed)
        .uint(BigUInt("23874112093")),  // accruedToTreasury (constructed)
        .uint(0),  // unbacked
        .uint(0),  // isolationModeTotalDebt
    ]

    static var reserveReturnData: String {
        Hex.encode(try! ABI.encode(AaveV3PoolRPC.ReserveData.abiTypes, reserve))
    }

    static let depegRound: [ABIValue] = [
        .uint(BigUInt("36893488147419104215")), .int(88_000_000), .uint(1_678_521_083), .uint(1_678_521_083),
        .uint(BigUInt("36893488147419104215")),
    ]

    static var depegRoundReturnData: String {
        Hex.encode(try! ABI.encode(ChainlinkAggregatorRPC.RoundData.abiTypes, depegRound))
    }

    static var feeHistory: [String: Any] {
        [
            "oldestBlock": "0x1005ab1",
            "baseFeePerGas": ["0x3b9aca00", "0x3d0b4f5c", "0x39f0a4b2", "0x3a1c2e10"],
            "gasUsedRatio": [0.5527, 0.3312, 0.5119],
            "reward": [["0x5f5e100", "0x77359400"], ["0x3b9aca00", "0x9502f900"], ["0x2faf080", "0x59682f00"]],
        ]
    }

    /// The method and params of a recorded request, and its id.
    static func call(_ request: ReplayHTTPServer.Request) -> (method: String, params: [Any], id: Any) {
        let object = (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]) ?? [:]
        return (object["method"] as? String ?? "", object["params"] as? [Any] ?? [], object["id"] ?? NSNull())
    }

    /// A JSON-RPC 2.0 response whose result is the JSON text `resultJSON`, for the request's id.
    static func reply(to request: ReplayHTTPServer.Request, resultJSON: String) -> ReplayHTTPServer.Response {
        let id = SubgraphFixture.json([call(request).id]).dropFirst().dropLast()
        return .json(#"{"jsonrpc":"2.0","id":\#(id),"result":\#(resultJSON)}"#)
    }

    /// A JSON-RPC 2.0 response with `result` for the request's id.
    static func reply(to request: ReplayHTTPServer.Request, result: Any) -> ReplayHTTPServer.Response {
        .json(SubgraphFixture.json(["jsonrpc": "2.0", "id": call(request).id, "result": result]))
    }

    /// A JSON-RPC 2.0 error response for the request's id.
    static func error(to request: ReplayHTTPServer.Request, code: Int, message: String, data: Any? = nil)
        -> ReplayHTTPServer.Response
    {
        var error: [String: Any] = ["code": code, "message": message]
        if let data { error["data"] = data }
        return .json(SubgraphFixture.json(["jsonrpc": "2.0", "id": call(request).id, "error": error]))
    }

    /// A node answering by method: `eth_call` by target address, the rest from `results`.
    static func node(_ request: ReplayHTTPServer.Request) -> ReplayHTTPServer.Response {
        let (method, params, _) = call(request)
        switch method {
        case "eth_blockNumber":
            return reply(to: request, result: "0x1005abb")
        case "eth_feeHistory":
            return reply(to: request, result: feeHistory)
        case "eth_call":
            let target = ((params.first as? [String: Any])?["to"] as? String)?.lowercased()
            let data = ((params.first as? [String: Any])?["data"] as? String) ?? ""
            switch (target, String(data.prefix(10))) {
            case (Hex.encode(pool.bytes), "0x35ea6a75"): return reply(to: request, result: reserveReturnData)
            case (Hex.encode(usdcUSDFeed.bytes), "0xfeaf968c"): return reply(to: request, result: depegRoundReturnData)
            case (Hex.encode(usdcUSDFeed.bytes), "0x313ce567"):
                return reply(to: request, result: Hex.encode(try! ABI.encode([.uint(bits: 8)], [.uint(8)])))
            default: return error(to: request, code: -32000, message: "execution reverted")
            }
        default:
            return error(to: request, code: -32601, message: "the method \(method) does not exist/is not available")
        }
    }
}
