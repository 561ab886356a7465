/// The attention model: gradients, padding, learning, and checkpoints.

import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import NeuralNet
@testable import Text

/// A model small enough for finite differences and quick training, of any attention
/// kind: D = 2H for dot attention (D = H + 1 otherwise, so that a mix-up of the two shows),
/// A = `size` in as many heads as divide it of 2 and 1, a window of half-width 1 (so that
/// it is cut at the sentence's ends), 2 location filters of width 3.
func tinyConfig(attention: ModelConfig.Attention = .additive, size: Int = 3) -> ModelConfig {
    var config = ModelConfig()
    config.embeddingSize = size
    config.encoderHiddenSize = size
    config.decoderHiddenSize = attention == .dot ? 2 * size : size + 1
    config.attentionSize = size
    config.attention = attention
    config.attentionHeads = size % 2 == 0 ? 2 : 1
    config.attentionWindow = 1
    config.locationFilters = 2
    config.locationWidth = 3
    config.dropout = 0
    return config
}

/// A translator over a random tiny model, with gradients off, for tests of decoding.
func randomTranslator(seed: UInt64, source: [String], target: [String], size: Int,
                      lowercase: Bool, architecture: ModelConfig.Architecture = .rnn) -> Translator {
    var generator = SeededGenerator(seed: seed)
    let (sourceVocabulary, targetVocabulary) = (Vocabulary(tokens: source), Vocabulary(tokens: target))
    let config = architecture == .rnn ? tinyConfig(size: size) : tinyTransformerConfig(size: 2 * size)
    let model = config.makeModel(sourceVocabularySize: sourceVocabulary.count,
                                 targetVocabularySize: targetVocabulary.count, generator: &generator)
    model.trackGradients(false)
    return Translator(model: model, source: sourceVocabulary, target: targetVocabulary, lowercase: lowercase)
}

struct RNNModelTests {
    /// The whole model's loss, differentiated end to end, against finite differences.
    @Test(arguments: ModelConfig.Attention.allCases)
    func lossGradient(attention: ModelConfig.Attention) {
        var generator = SeededGenerator(seed: 1)
        let model = RNNModel(config: tinyConfig(attention: attention, size: 2), sourceVocabularySize: 7,
                            targetVocabularySize: 6, generator: &generator)
        let batch = Batch(sources: [[4, 5, 6], [5]], targets: [[4, 5], [5, 4, 4]], indices: [0, 1])
        var noDropout: SeededGenerator? = nil
        let result = checkGradients(model.parameters) { model.loss(batch, dropout: &noDropout) }
        #expect(result.worstError < 5e-3, "\(result)")
    }

    /// A training step reads the LSTMs' weights through copies packed for it
    /// (`forTrainingStep`): the loss and every gradient are the unpacked model's to
    /// rounding; a model made for the step is not packed again, a replica's reads the
    /// same copies, and a model without gradients (a search's) packs nothing.
    @Test func aTrainingStepReadsPackedCopiesOfTheWeights() {
        var generator = SeededGenerator(seed: 3)
        let config = tinyConfig(size: 12)
        let model = RNNModel(config: config, sourceVocabularySize: 20, targetVocabularySize: 20, generator: &generator)
        let batch = Batch(sources: (0..<9).map { i in (0..<(2 + i % 5)).map { 4 + ($0 * 7 + i) % 16 } },
                          targets: (0..<9).map { i in (0..<(1 + i % 6)).map { 4 + ($0 * 5 + i) % 16 } },
                          indices: Array(0..<9))
        var noDropout: SeededGenerator? = nil
        func gradients(_ loss: Tensor) -> (Float, [[Float]]) {
            loss.backward()
            defer { for p in model.parameters { p.zeroGrad() } }
            return (loss.scalar, model.parameters.map { $0.grad ?? [] })
        }
        let (input, targets, _) = model.teacherForcedOutputInput(batch, dropout: &noDropout)
        let plain = gradients(Tensor.linearCrossEntropy(input, weight: model.output.weight, bias: model.output.bias,
                                                        targets: targets, smoothing: 0,
                                                        scale: 1 / Float(batch.targetTokens)))
        let packed = gradients(model.loss(batch, dropout: &noDropout))
        #expect(abs(packed.0 - plain.0) <= 1e-6 * plain.0)
        for (got, expected) in zip(packed.1, plain.1) {
            let largest = expected.map(abs).max() ?? 0
            #expect(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-5 * largest + 1e-9 })
        }

        let step = model.forTrainingStep()
        #expect(model.decoder.packedWeightHH == nil && step.decoder.packedWeightHH?.transposed != nil)
        #expect(step.forTrainingStep().decoder.packedWeightHH === step.decoder.packedWeightHH)
        let replica = RNNModel(config: config, sourceVocabularySize: 20, targetVocabularySize: 20, generator: &generator)
        let replicaStep = replica.forTrainingStep(sharingCopiesOf: step)
        #expect(replicaStep.decoder.packedWeightIH === step.decoder.packedWeightIH)
        #expect(replicaStep.encoder.backward.packedWeightHH === step.encoder.backward.packedWeightHH)
        replica.trackGradients(false)
        #expect(replica.forTrainingStep().decoder.packedWeightHH == nil)
    }

    /// Padding must not change a sentence's loss: the same pair scored alone and in a
    /// batch beside longer sentences (so padded on both sides) gets the same number.
    @Test(arguments: ModelConfig.Attention.allCases)
    func paddingNeverReachesTheLoss(attention: ModelConfig.Attention) {
        var generator = SeededGenerator(seed: 2)
        let model = RNNModel(config: tinyConfig(attention: attention, size: 4), sourceVocabularySize: 9,
                            targetVocabularySize: 8, generator: &generator)
        let alone = model.sentenceLosses(Batch(sources: [[4, 5]], targets: [[6]], indices: [0]))[0]
        let padded = model.sentenceLosses(Batch(sources: [[7, 8, 4, 5, 6, 7], [4, 5], [8, 8, 8]],
                                                targets: [[4, 5, 6, 7, 4], [6], [5, 5]], indices: [0, 1, 2]))[1]
        #expect(abs(alone - padded) < 1e-5, "alone \(alone), in a padded batch \(padded)")
        let batch = Batch(sources: [[4, 5], [7, 8, 4, 5, 6, 7]], targets: [[6], [4, 5, 6, 7, 4]], indices: [0, 1])
        var noDropout: SeededGenerator? = nil
        let mean = model.loss(batch, dropout: &noDropout).scalar
        let sums = model.sentenceLosses(batch)
        #expect(abs(mean - (sums[0] + sums[1]) / Float(batch.targetTokens)) < 1e-5)
    }

    /// The model can learn: trained on 20 pairs, it reproduces every one of them greedily.
    @Test func overfitsTwentyPairs() throws {
        let corpus = try ParallelCorpus(prefix: repositoryPath("data/train"))
        let pairs = Array(corpus.pairs.filter { $0.source.split(separator: " ").count <= 8 }.prefix(20))
        let tokenizer = WordTokenizer()
        let source = Vocabulary(counting: pairs.map { tokenizer.tokenize($0.source) })
        let target = Vocabulary(counting: pairs.map { tokenizer.tokenize($0.target) })
        let encoded = pairs.map { (source.encode(tokenizer.tokenize($0.source)), target.encode(tokenizer.tokenize($0.target))) }

        var generator = SeededGenerator(seed: 3)
        let model = RNNModel(config: tinyConfig(size: 32), sourceVocabularySize: source.count,
                            targetVocabularySize: target.count, generator: &generator)
        var adam = Adam(parameters: model.parameters, learningRate: 0.01)
        let batch = Batch(sources: encoded.map(\.0), targets: encoded.map(\.1), indices: Array(0..<20))
        let translator = Translator(model: model, source: source, target: target, lowercase: false)
        var correct = 0
        for round in 1...30 {
            for _ in 0..<20 {
                var noDropout: SeededGenerator? = nil
                model.loss(batch, dropout: &noDropout).backward()
                adam.update(gradientScale: clippingScale(norm: gradientNorm(model.parameters), maxNorm: 5))
            }
            model.trackGradients(false)
            let outputs = translator.translate(pairs.map(\.source)).map(\.text)
            model.trackGradients(true)
            correct = zip(outputs, pairs).filter { $0 == $1.target }.count
            if correct == pairs.count { break }
            #expect(round < 30, "after 600 steps, \(correct) of 20 reproduced")
        }
        #expect(correct == 20)
    }
}

/// A path inside the repository, found from this file's location.
func repositoryPath(_ relative: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(relative).path
}
