/// An error of the live loop, with a stable code so callers and tests compare codes, not messages.
public struct LiveError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// The data directory holds nothing usable at the requested time.
        case noData = "NO_DATA"
        /// The appliance could not be reached or answered out of protocol.
        case appliance = "APPLIANCE"
        /// The appliance runs a different policy from the planner's `--policy`.
        case policyMismatch = "POLICY_MISMATCH"
        /// The planner's own state could not be read or written.
        case state = "STATE"
        /// A gas price could not be obtained.
        case gas = "GAS"
        /// The planner built a proposal its own policy check rejects (a planner bug, never sent).
        case precheck = "PRECHECK"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
