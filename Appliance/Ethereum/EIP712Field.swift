extension EIP712 {
    /// One member of an EIP-712 struct type: `type name`, e.g. `address wallet`.
    public struct Field: Hashable, Sendable {
        public let name: String
        public let type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }
}
