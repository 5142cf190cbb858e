import Allocation
import Foundation
import Learning

/// The trained PPO agent as an `AllocationStrategy` (`ppo`, a strategy): at each step it builds the features,
/// takes the policy network's mean action and maps it onto the policy exactly as in training.
///
/// The network's markets are matched to the panel's by id: a panel market the agent was not trained on gets no
/// weight; a trained market missing from the panel is shown as unavailable.
public struct PPOAllocationStrategy: AllocationStrategy {
    public let name = "ppo"
    public let kind = StrategyKind.strategy
    public let model: ActorCritic
    public let markets: [String]
    public let mapping: AllocationActionMapping

    /// The committed policy file, relative to the repository root.
    public static let defaultPath = "Planner/models/ppo-allocator.json"

    public init(model: ActorCritic, markets: [String], mapping: AllocationActionMapping) {
        self.model = model
        self.markets = markets
        self.mapping = mapping
    }

    /// The agent saved in `url`.
    public init(contentsOf url: URL) throws {
        let (file, model) = try AllocatorPolicyFile.load(url)
        self.init(model: model, markets: file.markets, mapping: AllocationActionMapping(temperature: file.temperature))
    }

    public mutating func decide(_ context: AllocationContext) -> AllocationDecision {
        let ids = context.panel.markets.map(\.id)
        if ids == markets {
            let enabled = Array(repeating: true, count: ids.count)
            let action = model.deterministicAction(AllocationFeatures.observation(context, enabled: enabled))
            return mapping.decision(action, context: context, enabled: enabled)
        }
        return decideOnOtherMarkets(context, ids: ids)
    }

    /// The panel's markets differ from the trained ones: translate the features and the action by market id.
    private func decideOnOtherMarkets(_ context: AllocationContext, ids: [String]) -> AllocationDecision {
        let panelFeatures = AllocationFeatures.observation(context, enabled: Array(repeating: true, count: ids.count))
        let per = AllocationFeatures.perMarket
        var features = [Double](repeating: 0, count: AllocationFeatures.size(marketCount: markets.count))
        for (i, id) in markets.enumerated() {
            guard let m = ids.firstIndex(of: id) else { continue }
            for k in 0..<per { features[i * per + k] = panelFeatures[m * per + k] }
        }
        for k in 0..<AllocationFeatures.portfolio {
            features[markets.count * per + k] = panelFeatures[ids.count * per + k]
        }
        let trainedAction = model.deterministicAction(features)
        var action = [Double](repeating: -1, count: ids.count + 1)
        for (i, id) in markets.enumerated() {
            if let m = ids.firstIndex(of: id) { action[m] = trainedAction[i] }
        }
        action[ids.count] = trainedAction[markets.count]
        let enabled = ids.map { markets.contains($0) }
        return mapping.decision(action, context: context, enabled: enabled)
    }
}
