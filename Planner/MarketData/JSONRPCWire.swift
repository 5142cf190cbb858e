/// The JSON shapes of a JSON-RPC 2.0 exchange.
enum JSONRPCWire {
    struct Request: Encodable {
        let jsonrpc = "2.0"
        let id: Int
        let method: String
        let params: [JSONRPCParameter]
    }

    /// A response's envelope without its result, so the id and error are checked before the result is decoded.
    struct Envelope: Decodable {
        enum ID: Equatable {
            case number(Int)
            case null
            case other
        }

        struct ErrorObject: Decodable {
            let code: Int
            let message: String
            let data: String?

            enum CodingKeys: String, CodingKey { case code, message, data }

            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                code = try c.decode(Int.self, forKey: .code)
                message = try c.decode(String.self, forKey: .message)
                // `data` may be any JSON; only a string (revert data) is kept.
                data = try? c.decodeIfPresent(String.self, forKey: .data)
            }
        }

        let jsonrpc: String
        let id: ID
        let error: ErrorObject?
        let hasResult: Bool

        enum CodingKeys: String, CodingKey { case jsonrpc, id, error, result }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            jsonrpc = try c.decode(String.self, forKey: .jsonrpc)
            if try !c.contains(.id) || c.decodeNil(forKey: .id) {
                id = .null
            } else if let number = try? c.decode(Int.self, forKey: .id) {
                id = .number(number)
            } else {
                id = .other
            }
            error = try c.decodeIfPresent(ErrorObject.self, forKey: .error)
            hasResult = c.contains(.result)
        }
    }

    struct ResultOnly<Result: Decodable>: Decodable {
        let result: Result
    }

    struct FeeHistory: Decodable {
        let oldestBlock: String
        let baseFeePerGas: [String]
        let gasUsedRatio: [Double]
        let reward: [[String]]?
    }
}
