/// Proximal Policy Optimisation on one environment, step for step as Stable-Baselines3's `PPO.learn`: collect a
/// rollout with the current policy (bootstrapping the value at time-limit truncations), compute GAE, then
/// several epochs of shuffled minibatch updates of the clipped objective with value and entropy terms, global
/// gradient clipping and Adam.
///
/// Everything random (initial weights, environment resets, action samples, minibatch order) comes from one
/// seeded generator, so a run replays exactly.
public final class PPO<Environment: ReinforcementEnvironment> {
    public let configuration: PPOConfiguration
    public let model: ActorCritic
    public private(set) var environment: Environment
    public let optimizer: Adam
    /// Environment steps taken so far.
    public private(set) var timesteps = 0
    /// Returns of finished episodes, oldest first.
    public private(set) var episodeReturns: [Double] = []
    /// Statistics of the most recent update.
    public private(set) var lastUpdate = PPOUpdateStatistics()
    private var generator: SeededGenerator
    /// The latest rollout (with its advantages once collected).
    public private(set) var rollout: RolloutBuffer
    private var observation: [Double]
    private var episodeStart = true
    private var episodeReturn = 0.0

    public init(environment: Environment, configuration: PPOConfiguration = PPOConfiguration(), seed: UInt64) {
        if let problem = configuration.problem() { preconditionFailure("PPOConfiguration: \(problem)") }
        self.configuration = configuration
        self.environment = environment
        generator = SeededGenerator(seed: seed)
        model = ActorCritic(
            observationSize: environment.observationSize, actionSpace: environment.actionSpace,
            hiddenSizes: configuration.hiddenSizes, generator: &generator
        )
        optimizer = Adam(parameters: model.parameters, learningRate: configuration.learningRate,
                         epsilon: configuration.adamEpsilon)
        rollout = RolloutBuffer(capacity: configuration.stepsPerRollout, observationSize: environment.observationSize,
                               actionSize: environment.actionSpace.actionSize)
        observation = self.environment.reset(using: &generator)
    }

    /// Continues training in `environment` (a curriculum's next stage): the model and optimiser carry over, a new
    /// episode starts. The observation size and action space must match.
    public func replaceEnvironment(_ environment: Environment) {
        precondition(environment.observationSize == model.observationSize
                     && environment.actionSpace == model.actionSpace, "the new environment must have the same shapes")
        self.environment = environment
        observation = self.environment.reset(using: &generator)
        episodeStart = true
        episodeReturn = 0
    }

    /// Trains in whole rollouts while another rollout fits in `totalTimesteps` (at least one), calling `progress`
    /// after each update. Returns the number of environment steps taken by this call.
    @discardableResult
    public func learn(totalTimesteps: Int, progress: (PPO) -> Void = { _ in }) -> Int {
        let start = timesteps
        repeat {
            collectRollout()
            update()
            progress(self)
        } while timesteps - start + configuration.stepsPerRollout <= totalTimesteps
        return timesteps - start
    }

    /// Fills the rollout buffer with `stepsPerRollout` steps of the current policy and computes advantages.
    public func collectRollout() {
        rollout.reset()
        let space = environment.actionSpace
        var lastDone = false
        while !rollout.isFull {
            let (action, logProbability, value) = model.act(observation, using: &generator)
            let step = environment.step(space.clipped(action), using: &generator)
            timesteps += 1
            var reward = step.reward
            episodeReturn += step.reward
            if step.truncated {
                // SB3: a time-limit cut is not a failure; add γ·V(final observation) to the last reward.
                reward += configuration.gamma * model.value(of: step.observation)
            }
            rollout.add(observation: observation, action: action, reward: reward, episodeStart: episodeStart,
                       value: value, logProbability: logProbability)
            lastDone = step.done
            if step.done {
                episodeReturns.append(episodeReturn)
                episodeReturn = 0
                observation = environment.reset(using: &generator)
            } else {
                observation = step.observation
            }
            episodeStart = step.done
        }
        let lastValue = model.value(of: observation)
        rollout.computeReturnsAndAdvantages(lastValue: lastValue, lastDone: lastDone, gamma: configuration.gamma,
                                           lambda: configuration.gaeLambda)
    }

    /// `epochs` passes of shuffled minibatch gradient steps over the current rollout.
    public func update() {
        let n = rollout.count
        let observationSize = rollout.observationSize
        let actionSize = rollout.actionSize
        var order = Array(0..<n)
        var statistics = PPOUpdateStatistics()
        var batches = 0
        var observations = Matrix(rows: 0, columns: observationSize)
        var actions = Matrix(rows: 0, columns: actionSize)
        for _ in 0..<configuration.epochs {
            order.shuffle(using: &generator)
            var startIndex = 0
            while startIndex < n {
                let indices = order[startIndex..<min(startIndex + configuration.batchSize, n)]
                startIndex += configuration.batchSize
                let size = indices.count
                if observations.rows != size {
                    observations = Matrix(rows: size, columns: observationSize)
                    actions = Matrix(rows: size, columns: actionSize)
                }
                var oldLogProbabilities = [Double](repeating: 0, count: size)
                var advantages = [Double](repeating: 0, count: size)
                var returns = [Double](repeating: 0, count: size)
                for (row, index) in indices.enumerated() {
                    let from = index * observationSize, to = row * observationSize
                    for i in 0..<observationSize { observations.values[to + i] = rollout.observations[from + i] }
                    for i in 0..<actionSize {
                        actions.values[row * actionSize + i] = rollout.actions[index * actionSize + i]
                    }
                    oldLogProbabilities[row] = rollout.logProbabilities[index]
                    advantages[row] = rollout.advantages[index]
                    returns[row] = rollout.returns[index]
                }
                if configuration.normalizeAdvantage { advantages = PPOLoss.normalized(advantages) }
                optimizer.zeroGradients()
                let head = model.policyNetwork.forward(observations)
                let values = model.valueNetwork.forward(observations)
                let loss = PPOLoss(
                    distribution: model.distribution, head: head, logStd: model.logStd.value, values: values,
                    actions: actions, oldLogProbabilities: oldLogProbabilities, advantages: advantages,
                    returns: returns, clipRange: configuration.clipRange,
                    entropyCoefficient: configuration.entropyCoefficient,
                    valueCoefficient: configuration.valueCoefficient
                )
                model.policyNetwork.backward(loss.headGradient)
                model.valueNetwork.backward(loss.valueGradient)
                if model.logStd.value.count > 0 { model.logStd.gradient += loss.logStdGradient }
                GradientClipping.clipByGlobalNorm(optimizer.parameters, maxNorm: configuration.maxGradientNorm)
                optimizer.step()
                statistics.policyLoss += loss.policyLoss
                statistics.valueLoss += loss.valueLoss
                statistics.entropyLoss += loss.entropyLoss
                statistics.clipFraction += loss.clipFraction
                batches += 1
            }
        }
        if batches > 0 {
            let scale = 1 / Double(batches)
            statistics.policyLoss *= scale
            statistics.valueLoss *= scale
            statistics.entropyLoss *= scale
            statistics.clipFraction *= scale
        }
        lastUpdate = statistics
    }

    /// Mean return of the last `count` finished training episodes (SB3's `ep_rew_mean`), nil before the first.
    public func recentMeanReturn(_ count: Int = 100) -> Double? {
        guard !episodeReturns.isEmpty else { return nil }
        let recent = episodeReturns.suffix(count)
        return recent.reduce(0, +) / Double(recent.count)
    }
}

/// Mean losses over the minibatches of one update, for progress reports.
public struct PPOUpdateStatistics: Sendable, Equatable {
    public var policyLoss = 0.0
    public var valueLoss = 0.0
    public var entropyLoss = 0.0
    public var clipFraction = 0.0
    public init() {}
}
