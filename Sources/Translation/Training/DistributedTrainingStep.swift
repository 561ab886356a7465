/// One update of data-parallel training, the same on every process.
import Foundation
import Autodiff
import NeuralNet
import Distributed

extension TranslationModel {
    /// One Adam update from this process's `share` of a batch of `batchTokens` real
    /// target tokens, summed with the other processes' shares; the same update, on every
    /// process, as `trainingStep` makes on the whole batch in one process:
    ///
    /// 1. the loss of the share with dropout: its token losses summed and divided by the
    ///    whole batch's token count, so that the shares' losses add up to the batch's mean
    ///    loss per token (an empty share has loss 0 and no gradient);
    /// 2. backward;
    /// 3. one all-reduce sums, over the processes, every gradient (a missing one as zeros),
    ///    whether each process had it, and the losses;
    /// 4. the global gradient norm, of the summed gradients, clipped to `settings.clipNorm`;
    /// 5. Adam's update at `learningRate`.
    ///
    /// Every process then holds the same gradients, so the same weights after Adam. The
    /// finiteness checks come after the all-reduce, on the summed values, so that every
    /// process throws at the same step or none does: one process alone stopping would
    /// leave the others waiting for it. Returns the batch's mean loss per token and the
    /// seconds the all-reduce took.
    public func distributedTrainingStep(_ share: Batch?, batchTokens: Int, optimizer: inout Adam, learningRate: Float,
                                        dropout: inout SeededGenerator?, settings: TrainingConfig, step: Int,
                                        communicator: any Communicator) throws(TrainingError) -> (loss: Double, allReduceSeconds: Double) {
        var localLoss: Float = 0
        if let share {
            let loss = scaledLoss(share, dropout: &dropout, smoothing: settings.labelSmoothing,
                                  scale: 1 / Float(batchTokens))
            loss.backward()
            localLoss = loss.scalar
        }
        let (loss, seconds) = sumGradients(andLoss: localLoss, over: communicator)
        guard loss.isFinite else {
            throw TrainingError(becameNotFinite: "loss", loss, step: step)
        }
        try applyGradients(optimizer: &optimizer, learningRate: learningRate, settings: settings, step: step)
        return (Double(loss), seconds)
    }

    /// Sums every parameter's gradient and `loss` over the processes in one all-reduce,
    /// of one buffer: the gradients end to end (a missing one as zeros), then for each
    /// parameter how many processes had its gradient (it stays missing if none did, as it
    /// would in one process), then the loss. Returns the summed loss and the seconds the
    /// all-reduce took.
    private func sumGradients(andLoss loss: Float, over communicator: any Communicator) -> (loss: Float, seconds: Double) {
        let parameters = self.parameters
        let gradientCount = parameters.reduce(0) { $0 + $1.count }
        var buffer: [Float] = []
        buffer.reserveCapacity(gradientCount + parameters.count + 1)
        for p in parameters { buffer += p.grad ?? [Float](repeating: 0, count: p.count) }
        for p in parameters { buffer.append(p.grad == nil ? 0 : 1) }
        buffer.append(loss)
        let start = Date()
        communicator.allReduceSum(&buffer)
        let seconds = Date().timeIntervalSince(start)
        var offset = 0
        for (k, p) in parameters.enumerated() {
            p.grad = buffer[gradientCount + k] > 0 ? Array(buffer[offset..<(offset + p.count)]) : nil
            offset += p.count
        }
        return (buffer[buffer.count - 1], seconds)
    }
}
