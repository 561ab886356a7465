/// Data parallelism over the cores of one machine: copies of a model that read its weights.
import Autodiff
import NeuralNet

/// A model and N − 1 replicas of it, each training on its own share of every batch on
/// its own core, as `mpirun -np N` has N processes do (docs/distributed.md), but with one
/// copy of the weights and one optimiser.
///
/// Why: a training step of an RNN is a long chain of small products, one decoder or
/// encoder step at a time, 64 rows each, with elementwise work between them. Split
/// between two cores, every product makes one core wait for the other, and the
/// elementwise work runs on one core while the other waits. Given a share of the batch
/// each, two replicas compute the same sums, on their own cores, without waiting for each
/// other until both are done; the gradients they leave are added up and the update is
/// made once. The shares are cut where their work balances (`Batcher+Shares.swift`), so
/// that neither core waits long at the end.
///
/// A replica has parameters of its own, so gradients of its own, but for a step it reads
/// the model's weights: the same arrays, lent (no copy) before the shares are computed
/// and taken back after, before Adam changes them in place.
///
/// The batch's loss is the sum of the shares' token losses over the batch's tokens, as in
/// one process; only the order of the sums differs. Each share draws its own dropout
/// masks: the first from the training's generator, the others from generators seeded by
/// it, so a given generator state always gives the same step and a resumed training draws
/// what an uninterrupted one would have. The masks are not those of the whole batch on
/// one core, so the training's numbers depend on the number of replicas, as they do on
/// the number of processes.
public struct ModelReplicas {
    /// The model trained: it holds the weights and receives the summed gradients.
    public let model: any TranslationModel
    private let replicas: [any TranslationModel]

    /// `model` and `count − 1` replicas of it: models of `config` over vocabularies of the
    /// same sizes, whose own initial weights are never used.
    public init(_ model: any TranslationModel, count: Int, config: ModelConfig,
                sourceVocabularySize: Int, targetVocabularySize: Int) {
        precondition(count >= 1, "ModelReplicas: \(count) replicas")
        self.model = model
        replicas = (1..<count).map { _ in
            var unused = SeededGenerator(seed: 0)
            return Tensor.withoutDrawingWeights {
                config.makeModel(sourceVocabularySize: sourceVocabularySize,
                                 targetVocabularySize: targetVocabularySize, generator: &unused)
            }
        }
    }

    /// How many models share each batch, the model included.
    public var count: Int { replicas.count + 1 }

    /// One Adam update on `batch` (one that `batcher` made), and its mean loss per real
    /// target token: with one replica, the model's `trainingStep`; with several, the
    /// gradients of `gradients(of:batcher:dropout:smoothing:)`, then the global gradient
    /// norm clipped to `settings.clipNorm` and Adam's update. A loss or gradient norm that
    /// is not finite throws before the update.
    public func trainingStep(_ batch: Batch, batcher: Batcher, optimizer: inout Adam, learningRate: Float,
                             dropout: inout SeededGenerator?, settings: TrainingConfig,
                             step: Int) throws(TrainingError) -> Double {
        guard count > 1 else {
            return try model.trainingStep(batch, optimizer: &optimizer, learningRate: learningRate,
                                          dropout: &dropout, settings: settings, step: step)
        }
        let (loss, norm) = gradients(of: batch, batcher: batcher, dropout: &dropout, smoothing: settings.labelSmoothing)
        guard loss.isFinite else {
            throw TrainingError(becameNotFinite: "loss", loss, step: step)
        }
        try model.applyGradients(optimizer: &optimizer, learningRate: learningRate, settings: settings, step: step,
                                 norm: norm)
        return Double(loss)
    }

    /// The batch's mean loss per real target token and the global norm of its gradients,
    /// which are left in the model's parameters:
    ///
    /// 1. each model's share's loss, scaled by 1 / the batch's tokens, and its backward,
    ///    all at once, one core each (`concurrently`), every model reading the copies of
    ///    the weights made once for the step (`forTrainingStep(sharingCopiesOf:)`);
    /// 2. the replicas' gradients added into the model's, in replica order, and their
    ///    norm taken in the same pass (`addReplicaGradients`); the shares' losses summed.
    func gradients(of batch: Batch, batcher: Batcher, dropout: inout SeededGenerator?,
                   smoothing: Float) -> (loss: Float, norm: Float) {
        // Runs of the batch's sentences of about equal work, none for some when B < N.
        let shares = (0..<count).map {
            batcher.share(of: batch, rank: $0, processes: count, work: model.workPerPosition)
        }
        var generators: [SeededGenerator?] = []
        for _ in replicas { generators.append(dropout == nil ? nil : SeededGenerator(seed: dropout!.next())) }
        generators.insert(dropout, at: 0)
        let weights = model.parameters
        let replicaParameters = replicas.map(\.parameters)
        for parameters in replicaParameters {
            for (w, p) in zip(weights, parameters) { p.data = w.data }
        }
        // Copies of the weights for the step (packed matrices), made once, on all threads,
        // and read by every replica.
        let stepModel = model.forTrainingStep(sharing: nil)
        let stepModels = [stepModel] + replicas.map { $0.forTrainingStep(sharing: stepModel) }
        let scale = 1 / Float(batch.targetTokens)
        var losses = [Float](repeating: 0, count: count)
        generators.withUnsafeMutableBufferPointer { generators in
            losses.withUnsafeMutableBufferPointer { losses in
                concurrently(count) { k in
                    guard let share = shares[k] else { return }
                    let loss = stepModels[k].scaledLoss(share, dropout: &generators[k], smoothing: smoothing, scale: scale)
                    loss.backward()
                    losses[k] = loss.scalar
                }
            }
        }
        dropout = generators[0]
        let norm = addReplicaGradients(replicaParameters, into: weights)
        for parameters in replicaParameters {
            for p in parameters { p.data = [] }
        }
        return (losses.reduce(0, +), norm)
    }
}
