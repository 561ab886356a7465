/// Data parallelism over threads: replicas that share a model's weights, each with its
/// share of the batch.
import Testing
@testable import Translation
@testable import Autodiff
import NeuralNet
import CBLAS
@testable import Text

struct ModelReplicasTests {
    let pairs: [(source: [Int], target: [Int])] = {
        var generator = SeededGenerator(seed: 4)
        return (0..<9).map { _ in
            let lengths = (1 + Int(generator.next() % 7), 1 + Int(generator.next() % 7))
            return ((0..<lengths.0).map { _ in 4 + Int(generator.next() % 8) },
                    (0..<lengths.1).map { _ in 4 + Int(generator.next() % 8) })
        }
    }()

    func model(_ config: ModelConfig) -> any TranslationModel {
        var generator = SeededGenerator(seed: 8)
        return config.makeModel(sourceVocabularySize: 12, targetVocabularySize: 12, generator: &generator)
    }

    /// The gradients a model and its replicas leave, each on a share of the batch, are
    /// the ones the model alone gets from the whole batch, to rounding (only the order of
    /// the sums differs), and so is the loss; the weights are the model's own, untouched.
    @Test(arguments: [ModelConfig.Architecture.rnn, .transformer], [2, 3])
    func replicasGiveTheGradientsOfTheWholeBatch(architecture: ModelConfig.Architecture, count: Int) {
        let config = architecture == .rnn ? tinyConfig(size: 4) : tinyTransformerConfig()
        let batcher = Batcher(pairs: pairs, batchSize: pairs.count)
        let batch = batcher.batchesInOrder()[0]
        let alone = model(config)
        var noDropout: SeededGenerator? = nil
        let loss = alone.scaledLoss(batch, dropout: &noDropout, smoothing: 0.1, scale: 1 / Float(batch.targetTokens))
        loss.backward()

        let shared = model(config)
        let weightsBefore = shared.weights()
        let replicas = ModelReplicas(shared, count: count, config: config, sourceVocabularySize: 12, targetVocabularySize: 12)
        let replicated = replicas.gradients(of: batch, batcher: batcher, dropout: &noDropout, smoothing: 0.1)
        #expect(abs(replicated.loss - loss.scalar) <= 1e-6 * loss.scalar)
        #expect(replicated.norm == gradientNorm(shared.parameters))
        #expect(shared.weights() == weightsBefore)
        for (one, many) in zip(alone.parameters, shared.parameters) {
            let expected = one.grad ?? [Float](repeating: 0, count: one.count)
            let got = many.grad ?? [Float](repeating: 0, count: many.count)
            let largest = expected.map(abs).max()!
            let difference = zip(expected, got).map { abs($0 - $1) }.max()!
            // Parameters whose gradient nearly cancels out keep rounding errors of 1e-10.
            #expect(difference <= 1e-5 * largest + 1e-8)
        }
    }

    /// A batch of one sentence leaves the first share empty: the second replica computes
    /// the whole batch, and the model gets its gradients bit for bit.
    @Test func aBatchOfOneSentenceGoesToOneReplica() {
        let batcher = Batcher(pairs: Array(pairs.prefix(1)), batchSize: 1)
        let batch = batcher.batchesInOrder()[0]
        let alone = model(tinyConfig(size: 4)), shared = model(tinyConfig(size: 4))
        var noDropout: SeededGenerator? = nil
        alone.loss(batch, dropout: &noDropout).backward()
        let replicas = ModelReplicas(shared, count: 2, config: tinyConfig(size: 4), sourceVocabularySize: 12,
                                     targetVocabularySize: 12)
        _ = replicas.gradients(of: batch, batcher: batcher, dropout: &noDropout, smoothing: 0)
        #expect(alone.parameters.map(\.grad) == shared.parameters.map(\.grad))
    }

    /// On two threads (two replicas, dropout on), a training stopped and resumed ends
    /// bitwise where the uninterrupted one ends: every share's dropout masks come from
    /// the saved generator.
    @Test func twoReplicasResumeExactly() throws {
        let (expected, record, _) = try uninterruptedAndResumed(stopAfter: 7) {
            var fixture = try TrainingFixture()
            fixture.config.training.threads = 2
            fixture.config.training.maxEpochs = 2
            return fixture
        }
        #expect(record.losses == expected.losses)
        #expect(record.weights == expected.weights)
        // One thread draws other masks: the runs differ.
        var oneThread = try TrainingFixture()
        oneThread.config.training.maxEpochs = 2
        var single = TrainingRecord()
        try single.run(try oneThread.newTrainer())
        #expect(single.losses != expected.losses)
    }

    /// Training on two threads (two replicas) leaves OpenBLAS's thread count as it was: the
    /// command sets the counts for its process (`nmt train`), the trainer does not, so a
    /// training inside another program changes none of that program's other products.
    @Test func trainingLeavesOpenBLASsThreadCountAlone() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.threads = 2
        fixture.config.training.maxEpochs = 1
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer())
        #expect(!record.losses.isEmpty)
        #expect(openblas_get_num_threads() == 1)
    }
}
