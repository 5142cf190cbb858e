extension EIP712 {
    /// A complete `eth_signTypedData_v4` payload: types, primary type, domain and message.
    public struct TypedData: Hashable, Sendable {
        public var types: [String: [Field]]
        public var primaryType: String
        public var domain: [String: Value]
        public var message: [String: Value]

        /// The standard domain members, in the order EIP-712 lists them, used when `types` has no EIP712Domain.
        static let standardDomainFields: [Field] = [
            Field(name: "name", type: "string"), Field(name: "version", type: "string"),
            Field(name: "chainId", type: "uint256"), Field(name: "verifyingContract", type: "address"),
            Field(name: "salt", type: "bytes32"),
        ]

        public init(types: [String: [Field]], primaryType: String, domain: [String: Value], message: [String: Value]) {
            self.types = types
            self.primaryType = primaryType
            self.domain = domain
            self.message = message
        }

        /// `types` with an `EIP712Domain` entry: the declared one, or the standard members present in `domain`.
        var typesWithDomain: [String: [Field]] {
            if types["EIP712Domain"] != nil { return types }
            var all = types
            all["EIP712Domain"] = Self.standardDomainFields.filter { domain[$0.name] != nil }
            return all
        }

        /// hashStruct(EIP712Domain, domain).
        public func domainSeparator() throws -> [UInt8] {
            try EIP712.hashStruct("EIP712Domain", .object(domain), types: typesWithDomain)
        }

        /// hashStruct(primaryType, message).
        public func messageHash() throws -> [UInt8] {
            try EIP712.hashStruct(primaryType, .object(message), types: typesWithDomain)
        }

        /// keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)); when the primary type is the domain
        /// itself, the message part is omitted (as eth-account and MetaMask do).
        public func signingHash() throws -> [UInt8] {
            let separator = try domainSeparator()
            if primaryType == "EIP712Domain" { return Keccak256.hash([0x19, 0x01] + separator) }
            return Keccak256.hash([0x19, 0x01] + separator + (try messageHash()))
        }
    }
}
