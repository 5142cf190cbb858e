import Foundation
import Learning

/// A trained allocator on disk (JSON): the networks, the markets its inputs and outputs are aligned with, the
/// action mapping, and how it was trained (command, seed, steps, reward weights), so a result can be reproduced.
public struct AllocatorPolicyFile: Codable, Sendable {
    public static let currentFormat = "rebalancer-ppo-allocator/1"

    public var format: String
    /// Market ids in the order of the network's inputs and outputs.
    public var markets: [String]
    public var temperature: Double
    /// Free-form facts about the training run (command, seed, steps per stage, data period, reward weights).
    public var training: [String: String]
    public var model: ActorCriticSnapshot

    public init(markets: [String], temperature: Double, training: [String: String], model: ActorCritic) {
        format = Self.currentFormat
        self.markets = markets
        self.temperature = temperature
        self.training = training
        self.model = ActorCriticSnapshot(model)
    }

    /// Reads and checks a policy file.
    public static func load(_ url: URL) throws -> (file: AllocatorPolicyFile, model: ActorCritic) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw AllocatorPolicyError("cannot read \(url.path): \(error.localizedDescription)")
        }
        let file: AllocatorPolicyFile
        do {
            file = try JSONDecoder().decode(AllocatorPolicyFile.self, from: data)
        } catch {
            throw AllocatorPolicyError("\(url.path) is not an allocator policy file: \(error)")
        }
        guard file.format == currentFormat else {
            throw AllocatorPolicyError("\(url.path) has format \(file.format), expected \(currentFormat)")
        }
        let n = file.markets.count
        guard n > 0, file.model.observationSize == AllocationFeatures.size(marketCount: n),
              file.model.actionKind == "box", file.model.actionCount == n + 1,
              let model = file.model.model() else {
            throw AllocatorPolicyError("\(url.path): the network does not match \(n) markets and the features")
        }
        return (file, model)
    }

    /// Writes the file as sorted, compact JSON.
    public func save(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}

/// A policy file that cannot be used, with what is wrong.
public struct AllocatorPolicyError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
