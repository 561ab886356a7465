/// The Transformer against PyTorch's: the same weights give the same likelihoods.

import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import Files

struct TransformerParityTests {
    struct Fixture: Decodable {
        struct Sizes: Decodable {
            let modelSize, heads, encoderLayers, decoderLayers, feedForwardSize: Int
            let sourceVocabularySize, targetVocabularySize: Int
        }
        struct Pair: Decodable {
            let source: [Int], target: [Int]
            let nll: Double
        }
        let model: Sizes
        let pairs: [Pair]
    }

    /// scripts/make_transformer_fixture.py saved the weights of torch_transformer.py's
    /// `Transformer` (nn.TransformerEncoder/Decoder, norm_first=True) and the summed NLL
    /// of five sentence pairs, scored as one padded batch in eval mode. Loaded into our
    /// model by name, the weights give each pair's NLL to a relative 1e-5.
    @Test func sentenceLossesMatchPyTorch() throws {
        let folder = repositoryPath("Tests/TranslationTests/Fixtures/transformer")
        let fixture = try JSONDecoder().decode(
            Fixture.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/nll.json")))
        var config = ModelConfig()
        config.architecture = .transformer
        (config.modelSize, config.heads) = (fixture.model.modelSize, fixture.model.heads)
        (config.encoderLayers, config.decoderLayers) = (fixture.model.encoderLayers, fixture.model.decoderLayers)
        config.feedForwardSize = fixture.model.feedForwardSize
        var generator = SeededGenerator(seed: 0)
        let model = config.makeModel(sourceVocabularySize: fixture.model.sourceVocabularySize,
                                     targetVocabularySize: fixture.model.targetVocabularySize, generator: &generator)
        let path = folder + "/weights.safetensors"
        try model.load(try SafeTensors.read(path).arrays, from: path)
        model.trackGradients(false)

        let batch = Batch(sources: fixture.pairs.map(\.source), targets: fixture.pairs.map(\.target),
                          indices: Array(fixture.pairs.indices))
        let losses = model.sentenceLosses(batch)
        #expect(losses.count == fixture.pairs.count)
        var largest = 0.0
        for (ours, pair) in zip(losses, fixture.pairs) {
            let relative = abs(Double(ours) - pair.nll) / pair.nll
            #expect(relative < 1e-5, "ours \(ours), PyTorch \(pair.nll), relative \(relative)")
            largest = max(largest, relative)
        }
        // The figure itself, not only the bound, for the test log (the README quotes it).
        print("parity transformer: largest relative difference \(String(format: "%.1e", largest)) over \(losses.count) pairs")
    }
}
