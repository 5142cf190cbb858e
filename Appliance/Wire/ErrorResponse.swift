/// A protocol error sent back to the client: `{"type": "error", "code", "message"}`.
public struct ErrorResponse: Hashable, Sendable {
    public var code: WireErrorCode
    public var message: String

    public init(code: WireErrorCode, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ error: WireError) { self.init(code: error.code, message: error.message) }

    public var jsonValue: JSONValue {
        .object(["type": .string("error"), "code": .string(code.rawValue), "message": .string(message)])
    }

    init(json: JSONValue, at path: FieldPath) throws(WireError) {
        let o = try ObjectReader(json, at: path, required: ["type", "code", "message"], ignoringUnknown: true)
        let (codeValue, codePath) = o["code"]
        guard let code = WireErrorCode(rawValue: try codeValue.string(at: codePath)) else {
            throw codePath.invalid("unknown error code")
        }
        self.code = code
        self.message = try o["message"].value.string(at: o["message"].path)
    }
}
