/// What the training settings build: the optimiser, the batcher and the learning rate of
/// each step, the same for the trainer, a resumed trainer and the benchmark.
import Autodiff
import NeuralNet

extension TrainingConfig {
    /// Adam over `parameters` with β₂ and ε from the settings (β₁ = 0.9).
    public func optimizer(over parameters: [Tensor]) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta2: adamBeta2, epsilon: adamEpsilon)
    }

    /// Batches of `batchSize` sentences, or, with `batchTokens`, of as many sentences of
    /// alike length as fit that many padded target tokens.
    /// With `processes` > 1 (data-parallel training), the batches are those of all the
    /// processes together, `processes` times as large, which each process then shares.
    public func batcher(pairs: [(source: [Int], target: [Int])], processes: Int = 1) -> Batcher {
        batchTokens > 0 ? Batcher(pairs: pairs, batchSize: batchTokens * processes, tokenBudget: batchTokens * processes)
            : Batcher(pairs: pairs, batchSize: batchSize * processes)
    }

    /// The learning rate of update `step` (from 1): under `plateau`, `current`, the rate
    /// that the plateau rule has left; under `inverse-sqrt`, the schedule's, whose peak
    /// at step `warmupSteps` is `learningRate`.
    public func learningRate(step: Int, current: Float) -> Float {
        switch schedule {
        case .plateau: current
        case .inverseSqrt: InverseSquareRootSchedule(peak: learningRate, warmup: warmupSteps).rate(step: step)
        }
    }
}
