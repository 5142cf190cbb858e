/// Where things live in an appliance state directory (`appliance init --state DIR`).
public struct StateLayout: Sendable, Equatable {
    /// The state directory (absolute).
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The SQLite database: decisions, audit log, nonces, budgets, kill switch, policy history.
    public var database: String { directory + "/appliance.sqlite" }
    /// Bundles written for co-signers, one file per approved Safe-mode decision: `<seq>-<proposal id>.json`.
    public var bundles: String { directory + "/bundles" }
    /// The HSM configuration written by `init` (module, token, PIN file, key labels, addresses).
    public var hsmConfiguration: String { directory + "/appliance.json" }

    /// The bundle file for an approved decision.
    public func bundleFile(seq: Int64, proposalID: String) -> String { "\(bundles)/\(seq)-\(proposalID).json" }
}
