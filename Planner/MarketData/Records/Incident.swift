import SigningPolicy

/// One DeFi exploit incident (DeFiHackLabs), one entry of `incidents/incidents.json`.
public struct Incident: Sendable, Hashable {
    public var date: Timestamp
    public var name: String
    /// The attack type (`type`).
    public var attackType: String
    /// The loss in `lossType` units (USD for most entries); nil when the source has none.
    public var lost: Double?
    public var lossType: String
    /// The reproduction's path in DeFiHackLabs, often empty.
    public var contract: String
    /// The chain, empty when the source does not say.
    public var chain: String
    /// 1 for the first entry with exactly this content in its file, 2 for an identical second one, and so on:
    /// the source repeats a few entries verbatim, and each is kept.
    public var occurrence: Int

    public init(date: Timestamp, name: String, attackType: String, lost: Double?, lossType: String, contract: String,
                chain: String, occurrence: Int = 1) {
        self.date = date
        self.name = name
        self.attackType = attackType
        self.lost = lost
        self.lossType = lossType
        self.contract = contract
        self.chain = chain
        self.occurrence = occurrence
    }

    /// Every field but `occurrence`, unambiguously joined: with `occurrence`, the incident's identity.
    public var contentKey: String {
        let lostText = lost.map { "\($0)" } ?? "null"
        return [UTCDate.dayString(date), name, attackType, lostText, lossType, contract, chain]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }
}
