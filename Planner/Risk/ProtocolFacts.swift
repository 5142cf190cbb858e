import Foundation

/// The committed protocol facts (`Planner/Risk/protocol-facts.json`): audits, launch, bug bounty and incidents per
/// protocol, each with a source and a confidence (`confirmed` or `uncertain`).
public struct ProtocolFacts: Codable, Sendable {

    public struct Launch: Codable, Sendable {
        /// `YYYY-MM` or `YYYY-MM-DD`: no more precise than the source.
        public var date: String
        public var source: String
        public var confidence: String
    }

    public struct Audit: Codable, Sendable {
        public var firm: String
        public var year: Int
        public var source: String
        public var confidence: String
    }

    public struct BugBounty: Codable, Sendable {
        /// Nil when no figure was checked.
        public var maxUSD: Double?
        public var source: String
        public var confidence: String

        enum CodingKeys: String, CodingKey {
            case maxUSD = "max_usd", source, confidence
        }
    }

    public struct Incident: Codable, Sendable {
        public var date: String
        public var what: String
        public var lostUSD: Double
        public var recovered: Bool
        public var source: String
        public var confidence: String

        enum CodingKeys: String, CodingKey {
            case date, what, lostUSD = "lost_usd", recovered, source, confidence
        }
    }

    public struct Entry: Codable, Sendable {
        public var id: String
        public var name: String
        /// `lending` or `amm`.
        public var kind: String
        /// The market ids (file stems) of the protocol's series start with this; empty when none exist.
        public var marketsPrefix: String
        public var launch: Launch
        public var audits: [Audit]
        public var bugBounty: BugBounty
        public var incidents: [Incident]

        enum CodingKeys: String, CodingKey {
            case id, name, kind, marketsPrefix = "markets_prefix", launch, audits, bugBounty = "bug_bounty", incidents
        }

        /// Every source string, for checking that no fact is unsourced.
        public var sources: [String] {
            [launch.source, bugBounty.source] + audits.map(\.source) + incidents.map(\.source)
        }

        /// Every confidence string.
        public var confidences: [String] {
            [launch.confidence, bugBounty.confidence] + audits.map(\.confidence) + incidents.map(\.confidence)
        }
    }

    public var note: String
    public var protocols: [Entry]

    /// Reads and decodes the facts file at `url`.
    public static func load(_ url: URL) throws -> ProtocolFacts {
        try JSONDecoder().decode(ProtocolFacts.self, from: Data(contentsOf: url))
    }
}
