/// The Transformer: gradients end to end, padding, tensor names, and checkpoints.

import Foundation
import TestSupport
import Testing
@testable import Translation
@testable import Autodiff
@testable import Files
@testable import Text

/// A Transformer small enough for finite differences: d = `size`, two heads, two layers
/// each side, F = 2d, no dropout.
func tinyTransformerConfig(size: Int = 4, layers: Int = 2, tieOutput: Bool = false) -> ModelConfig {
    var config = ModelConfig()
    config.architecture = .transformer
    (config.modelSize, config.heads, config.feedForwardSize) = (size, 2, 2 * size)
    (config.encoderLayers, config.decoderLayers) = (layers, layers)
    config.tieOutput = tieOutput
    config.dropout = 0
    return config
}

func tinyTransformer(seed: UInt64, size: Int = 4, tieOutput: Bool = false,
                     sourceVocabularySize: Int = 9, targetVocabularySize: Int = 8) -> TransformerModel {
    var generator = SeededGenerator(seed: seed)
    return TransformerModel(config: tinyTransformerConfig(size: size, tieOutput: tieOutput),
                            sourceVocabularySize: sourceVocabularySize, targetVocabularySize: targetVocabularySize,
                            generator: &generator)
}

struct TransformerModelTests {
    /// The whole model's loss (embeddings, both stacks, final norms, output layer, label
    /// smoothing), differentiated end to end, against finite differences. The batch pads
    /// both sides, so masking is differentiated too. Steps of 2e-3: at d = 4 the
    /// LayerNorms' inputs have a spread of about 1, on which steps of 1e-2 already leave
    /// the range where the central difference is accurate to O(ε²) (the worst error is
    /// then 7e-4).
    @Test(arguments: [false, true])
    func lossGradient(tieOutput: Bool) {
        let model = tinyTransformer(seed: 1, tieOutput: tieOutput, sourceVocabularySize: 7, targetVocabularySize: 6)
        let batch = Batch(sources: [[4, 5, 6], [5]], targets: [[4, 5], [5, 4, 4]], indices: [0, 1])
        var noDropout: SeededGenerator? = nil
        let result = checkGradients(model.parameters, epsilon: 2e-3) {
            model.loss(batch, dropout: &noDropout, smoothing: 0.1)
        }
        #expect(result.worstError < 5e-3, "\(result)")
    }

    /// Padding must not change a sentence's loss: the same pair scored alone and in a
    /// batch beside longer sentences (so padded on both sides) gets the same number.
    @Test func paddingNeverReachesTheLoss() {
        let model = tinyTransformer(seed: 2, size: 8)
        let alone = model.sentenceLosses(Batch(sources: [[4, 5]], targets: [[6]], indices: [0]))[0]
        let padded = model.sentenceLosses(Batch(sources: [[7, 8, 4, 5, 6, 7], [4, 5], [8, 8, 8]],
                                                targets: [[4, 5, 6, 7, 4], [6], [5, 5]], indices: [0, 1, 2]))[1]
        #expect(abs(alone - padded) < 1e-4 * abs(alone), "alone \(alone), in a padded batch \(padded)")
    }

    /// The safetensors file lists exactly the design's names and shapes; a tied output
    /// layer has no `output.weight` but keeps its bias.
    @Test(arguments: [false, true])
    func weightsHaveTheDesignNamesAndShapes(tieOutput: Bool) {
        let (d, f, vs, vt) = (4, 8, 9, 8)
        let model = tinyTransformer(seed: 3, tieOutput: tieOutput)
        var expected: [String: [Int]] = ["source_embedding.weight": [vs, d], "target_embedding.weight": [vt, d],
                                         "encoder.norm.weight": [d], "encoder.norm.bias": [d],
                                         "decoder.norm.weight": [d], "decoder.norm.bias": [d], "output.bias": [vt]]
        if !tieOutput { expected["output.weight"] = [vt, d] }
        func attention(_ prefix: String) {
            expected[prefix + ".in_proj_weight"] = [3 * d, d]
            expected[prefix + ".in_proj_bias"] = [3 * d]
            expected[prefix + ".out_proj.weight"] = [d, d]
            expected[prefix + ".out_proj.bias"] = [d]
        }
        for side in ["encoder", "decoder"] {
            for i in 0..<2 {
                let layer = "\(side).layers.\(i)"
                attention(layer + ".self_attn")
                if side == "decoder" { attention(layer + ".multihead_attn") }
                (expected[layer + ".linear1.weight"], expected[layer + ".linear1.bias"]) = ([f, d], [f])
                (expected[layer + ".linear2.weight"], expected[layer + ".linear2.bias"]) = ([d, f], [d])
                for norm in side == "decoder" ? ["norm1", "norm2", "norm3"] : ["norm1", "norm2"] {
                    (expected["\(layer).\(norm).weight"], expected["\(layer).\(norm).bias"]) = ([d], [d])
                }
            }
        }
        let weights = model.weights()
        #expect(weights.count == expected.count)
        #expect(Dictionary(uniqueKeysWithValues: weights.map { ($0.name, $0.shape) }) == expected)
    }

    /// Saved and loaded through a checkpoint folder, a model has bitwise the same weights
    /// and scores sentences bitwise as before.
    @Test(arguments: [false, true])
    func checkpointRoundTripIsBitwise(tieOutput: Bool) throws {
        let folder = try TemporaryFolder()
        var config = Configuration()
        config.model = tinyTransformerConfig(size: 6, tieOutput: tieOutput)
        let source = Vocabulary(tokens: ["ich", "bin", "hier", "."])
        let target = Vocabulary(tokens: ["i", "am", "here", ".", "now"])
        var generator = SeededGenerator(seed: 9)
        let model = config.model.makeModel(sourceVocabularySize: source.count, targetVocabularySize: target.count,
                                           generator: &generator)
        let checkpoint = Checkpoint(folder: folder.path("model"))
        try checkpoint.writeDescription(config, source: source, target: target)
        try checkpoint.writeWeights(model, to: checkpoint.bestWeightsPath)

        let loaded = try checkpoint.loadModel().model
        #expect(loaded.weights() == model.weights())
        #expect(loaded.kind == "transformer")
        let sources = ["ich bin hier .", "hier bin ich", "unbekannt ."]
        let targets = ["i am here .", "here am i now", "now ."]
        let before = Translator(model: model, source: source, target: target, lowercase: false)
            .score(sources: sources, targets: targets)
        let after = try Translator(checkpoint: checkpoint).score(sources: sources, targets: targets)
        #expect(before.map(\.bitPattern) == after.map(\.bitPattern))
        #expect(try checkpoint.readConfiguration() == config)
    }

    /// A tied model's output layer is its target embedding: one tensor, trained by both.
    @Test func tiedOutputSharesTheEmbedding() {
        let model = tinyTransformer(seed: 4, tieOutput: true)
        #expect(model.outputWeight === model.targetEmbedding.weight)
        #expect(model.parameters.count == Set(model.parameters.map(ObjectIdentifier.init)).count)
    }
}

/// What a Transformer's translation shows: the last layer's mean over heads as the
/// alignment, and every head of every decoder layer, named by layer and head.
struct TransformerAlignmentTests {
    @Test(arguments: [1, 3])
    func everyLayerAndHeadIsKept(beam: Int) throws {
        let translator = randomTranslator(seed: 4, source: ["ich", "muss", "gehen"], target: ["i", "must", "go"],
                                          size: 4, lowercase: true, architecture: .transformer)
        let translation = try #require(translator.translate(["ich muss gehen"], beam: beam).first)
        let heads = translation.headAlignments
        #expect(heads.map(\.name) == ["layer 1, head 1", "layer 1, head 2", "layer 2, head 1", "layer 2, head 2"])
        for head in heads {
            #expect(head.weights.count == translation.alignment.count)
        }
        // The alignment is the mean of the last layer's heads.
        for (t, row) in translation.alignment.enumerated() {
            for (j, weight) in row.enumerated() {
                #expect(abs(weight - (heads[2].weights[t][j] + heads[3].weights[t][j]) / 2) < 1e-6)
            }
        }
    }
}
