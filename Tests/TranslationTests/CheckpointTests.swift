/// Checkpoint folders: docs/DESIGN.md's tensor names and shapes, and faithful reloading.

import Foundation
import TestSupport
import Testing
@testable import Translation
@testable import Autodiff
@testable import Files
@testable import Text

struct CheckpointTests {
    let config: Configuration = {
        var c = Configuration()
        c.model = tinyConfig(size: 5)
        c.model.attentionSize = 6
        c.model.decoderHiddenSize = 7
        c.model.attentionHeads = 2
        return c
    }()
    let source = Vocabulary(tokens: ["ich", "bin", "hier", "."])
    let target = Vocabulary(tokens: ["i", "am", "here", ".", "now"])

    func savedModel(in folder: TemporaryFolder, config: Configuration? = nil) throws -> (Checkpoint, RNNModel) {
        let config = config ?? self.config
        var generator = SeededGenerator(seed: 9)
        let model = RNNModel(config: config.model, sourceVocabularySize: source.count,
                            targetVocabularySize: target.count, generator: &generator)
        let checkpoint = Checkpoint(folder: folder.path("model"))
        try checkpoint.writeDescription(config, source: source, target: target)
        try checkpoint.writeWeights(model, to: checkpoint.bestWeightsPath)
        return (checkpoint, model)
    }

    /// The safetensors header lists exactly the names and shapes of docs/DESIGN.md's table.
    @Test func weightsFileHasTheDesignNamesAndShapes() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, _) = try savedModel(in: folder)
        let (e, h, d, a, vs, vt) = (5, 5, 7, 6, source.count, target.count)
        let expected: [String: [Int]] = [
            "encoder.embedding.weight": [vs, e],
            "encoder.rnn.weight_ih_l0": [4 * h, e], "encoder.rnn.weight_ih_l0_reverse": [4 * h, e],
            "encoder.rnn.weight_hh_l0": [4 * h, h], "encoder.rnn.weight_hh_l0_reverse": [4 * h, h],
            "encoder.rnn.bias_ih_l0": [4 * h], "encoder.rnn.bias_hh_l0": [4 * h],
            "encoder.rnn.bias_ih_l0_reverse": [4 * h], "encoder.rnn.bias_hh_l0_reverse": [4 * h],
            "bridge.weight": [d, 2 * h], "bridge.bias": [d],
            "attention.query.weight": [a, d],
            "attention.key.weight": [a, 2 * h], "attention.key.bias": [a],
            "attention.energy.weight": [1, a],
            "decoder.embedding.weight": [vt, e],
            "decoder.rnn.weight_ih": [4 * d, e + 2 * h], "decoder.rnn.weight_hh": [4 * d, d],
            "decoder.rnn.bias_ih": [4 * d], "decoder.rnn.bias_hh": [4 * d],
            "output.weight": [vt, d + 2 * h + e], "output.bias": [vt],
        ]
        let (arrays, metadata) = try SafeTensors.read(checkpoint.bestWeightsPath)
        #expect(Dictionary(uniqueKeysWithValues: arrays.map { ($0.name, $0.shape) }) == expected)
        #expect(metadata["format_version"] == "1")
    }

    /// Saved and loaded, a model of every attention kind scores sentences bitwise as before.
    @Test(arguments: ModelConfig.Attention.allCases)
    func reloadedModelScoresBitwiseTheSame(attention: ModelConfig.Attention) throws {
        let folder = try TemporaryFolder()
        var config = config
        config.model.attention = attention
        if attention == .dot { config.model.decoderHiddenSize = 10 }
        let (checkpoint, model) = try savedModel(in: folder, config: config)
        let sources = ["ich bin hier .", "hier bin ich", "unbekannt ."]
        let targets = ["i am here .", "here am i now", "now ."]
        let before = Translator(model: model, source: source, target: target, lowercase: false)
            .score(sources: sources, targets: targets)
        let after = try Translator(checkpoint: checkpoint).score(sources: sources, targets: targets)
        #expect(before.map(\.bitPattern) == after.map(\.bitPattern))
        #expect(try checkpoint.readConfiguration() == config)
    }

    /// Read from a checkpoint, a translator's RNN keeps its weight matrices packed for
    /// decoding (`forDecoding()`); given a model, it keeps the model as it is, which may
    /// go on training. Both translate a batch to the same words, with log-probabilities
    /// equal up to the rounding of the packed products' own order of summation.
    @Test func aLoadedTranslatorDecodesThroughThePackedWeightsToTheSameWords() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, model) = try savedModel(in: folder)
        let loaded = try Translator(checkpoint: checkpoint)
        let given = Translator(model: model, source: source, target: target, lowercase: false)
        #expect((loaded.model as? RNNModel)?.output.packedWeight != nil)
        #expect((given.model as? RNNModel)?.output.packedWeight == nil)
        let sources = ["ich bin hier .", "hier bin ich", "unbekannt .", "ich ich ich"]
        let (expected, got) = (given.translate(sources), loaded.translate(sources))
        #expect(got.map(\.text) == expected.map(\.text))
        for (a, b) in zip(got, expected) {
            #expect(abs(a.logProbability - b.logProbability) < 1e-4, "\(a.logProbability) against \(b.logProbability)")
        }
    }

    @Test func aVocabularyThatDoesNotMatchTheWeightsIsNamed() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, _) = try savedModel(in: folder)
        try Vocabulary(tokens: ["i", "am"]).write(to: checkpoint.targetVocabularyPath)
        let error = #expect(throws: InputError.self) { try checkpoint.loadModel() }
        #expect(error?.description.contains("vocab.tgt.txt: vocabulary has 6 entries") == true)
    }

    /// A checkpoint written before `model.architecture` existed has no such key: it is an
    /// RNN, and loads as one, scoring bitwise as it did.
    @Test func aConfigurationWithoutArchitectureLoadsAsAnRNN() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, model) = try savedModel(in: folder)
        let text = try String(contentsOfFile: checkpoint.configPath, encoding: .utf8)
        let old = text.replacingOccurrences(of: "\"architecture\" : \"rnn\",\n", with: "")
        #expect(old != text && !old.contains("architecture"))
        try old.write(toFile: checkpoint.configPath, atomically: true, encoding: .utf8)
        #expect(try checkpoint.readConfiguration().model.architecture == .rnn)
        let sources = ["ich bin hier ."], targets = ["i am here ."]
        let before = Translator(model: model, source: source, target: target, lowercase: false)
            .score(sources: sources, targets: targets)
        #expect(try Translator(checkpoint: checkpoint).score(sources: sources, targets: targets).map(\.bitPattern)
                == before.map(\.bitPattern))
    }

    @Test func anotherFormatVersionIsRefused() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, _) = try savedModel(in: folder)
        let text = try String(contentsOfFile: checkpoint.configPath, encoding: .utf8)
            .replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2")
        try text.write(toFile: checkpoint.configPath, atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) { try checkpoint.loadModel() }
        #expect(error?.description == "\(checkpoint.configPath): format version 2, this nmt reads version 1")
    }

    /// One flipped word made a NaN that loaded and translated every sentence into a row of
    /// `<unk>`; an infinity went unnoticed too. The error names the file, the tensor and
    /// the place.
    @Test(arguments: [(Float.nan, -4, "nan"), (Float.infinity, 0, "inf"), (-Float.infinity, 0, "-inf")])
    func aWeightThatIsNotFiniteIsRefused(_ value: Float, _ offset: Int, _ written: String) throws {
        let folder = try TemporaryFolder()
        let (checkpoint, _) = try savedModel(in: folder)
        let path = checkpoint.bestWeightsPath
        let arrays = try SafeTensors.read(path).arrays
        let (tensor, index) = offset < 0 ? (arrays.last!, arrays.last!.values.count - 1) : (arrays[0], 0)
        try DamagedFile.write(value, at: offset < 0 ? offset : try DamagedFile.safeTensorsDataStart(of: path), of: path)
        let error = #expect(throws: InputError.self) { try checkpoint.loadModel() }
        #expect(error?.description == "\(path): tensor \(tensor.name) holds a non-finite value (\(written)) at index \(index)")
    }

    /// A model read while a training saves over its file knows that its file has changed.
    @Test func anEvaluationKnowsWhenItsWeightsAreSavedOver() throws {
        let folder = try TemporaryFolder()
        let (checkpoint, model) = try savedModel(in: folder)
        try "ich bin hier .\n".write(toFile: folder.path("test.de"), atomically: false, encoding: .utf8)
        try "i am here .\n".write(toFile: folder.path("test.en"), atomically: false, encoding: .utf8)
        let evaluation = try Evaluation(checkpoint: checkpoint, corpus: ParallelCorpus(prefix: folder.path("test")))
        #expect(evaluation.weightsVersion?.path == checkpoint.bestWeightsPath)
        #expect(evaluation.weightsVersion?.isCurrent == true)
        try checkpoint.writeWeights(model, to: checkpoint.bestWeightsPath)
        #expect(evaluation.weightsVersion?.isCurrent == false)
        #expect(Translator(model: model, source: source, target: target, lowercase: false).weightsVersion == nil)
    }
}

