/// One update of the weights: the step the trainer repeats and the benchmark times.
import Autodiff
import NeuralNet

extension TranslationModel {
    /// One Adam update on one batch, and the batch's mean loss per real target token:
    ///
    /// 1. the loss with dropout (drawn from `dropout`) and label smoothing;
    /// 2. backward;
    /// 3. the global gradient norm clipped to `settings.clipNorm`;
    /// 4. Adam's update at `learningRate`.
    ///
    /// A loss or gradient norm that is not finite throws before the update, so that
    /// neither the weights nor the optimiser change; `step` names the step in the message.
    public func trainingStep(_ batch: Batch, optimizer: inout Adam, learningRate: Float,
                             dropout: inout SeededGenerator?, settings: TrainingConfig, step: Int) throws(TrainingError) -> Double {
        let loss = self.loss(batch, dropout: &dropout, smoothing: settings.labelSmoothing)
        guard loss.scalar.isFinite else {
            throw TrainingError(becameNotFinite: "loss", loss.scalar, step: step)
        }
        loss.backward()
        try applyGradients(optimizer: &optimizer, learningRate: learningRate, settings: settings, step: step)
        return Double(loss.scalar)
    }

    /// Steps 3 and 4 of every kind of training step, once the gradients are in the
    /// parameters: the global gradient norm clipped to `settings.clipNorm`, then Adam's
    /// update at `learningRate`, which applies the clipping as it reads the gradients. The
    /// norm is taken here unless the caller has it already (`norm`, from summing replicas'
    /// gradients). A norm that is not finite throws before the update.
    func applyGradients(optimizer: inout Adam, learningRate: Float, settings: TrainingConfig,
                        step: Int, norm: Float? = nil) throws(TrainingError) {
        let norm = norm ?? gradientNorm(parameters)
        guard norm.isFinite else {
            throw TrainingError(becameNotFinite: "gradient norm", norm, step: step)
        }
        optimizer.learningRate = learningRate
        optimizer.update(gradientScale: clippingScale(norm: norm, maxNorm: settings.clipNorm))
    }
}

/// Training cannot go on (a non-finite loss, say); the message says why.
public struct TrainingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    /// A loss or gradient norm that is not finite: the step names where, and the last
    /// checkpoint stays the one to resume from.
    init(becameNotFinite quantity: String, _ value: Float, step: Int) {
        self.init("the \(quantity) became \(value) at step \(step); the last checkpoint is kept")
    }
}
