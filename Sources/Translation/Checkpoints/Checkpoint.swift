/// A checkpoint folder: configuration, vocabularies and weights, self-contained.
import Foundation
import Autodiff
import NeuralNet
import Files
import Text

/// The files of a checkpoint folder, as docs/DESIGN.md lays them out.
public struct Checkpoint: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    public var configPath: String { path("config.json") }
    public var sourceVocabularyPath: String { path("vocab.src.txt") }
    public var targetVocabularyPath: String { path("vocab.tgt.txt") }
    /// The byte-pair merges, when the model works on subwords (`vocabulary.merges` > 0).
    public var subwordCodesPath: String { path("bpe.codes.txt") }
    public var bestWeightsPath: String { path("best.safetensors") }
    public var lastWeightsPath: String { path("last.safetensors") }
    public var optimizerPath: String { path("last.optim.safetensors") }
    public var trainerStatePath: String { path("trainer.json") }
    public var logPath: String { path("log.jsonl") }

    public func path(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }

    /// Metadata stored in every weights file, so that a file separated from its folder
    /// still says what it is.
    static var weightsMetadata: [String: String] {
        ["format": "swift-nmt", "format_version": String(Configuration.currentFormatVersion)]
    }

    /// Whether a training has been started in this folder (it has a configuration).
    public var holdsTraining: Bool { FileManager.default.fileExists(atPath: configPath) }

    /// Removes what an earlier training left in the folder, and the files named in
    /// `derivedFiles` (what was written from it, such as an evaluation report), so that a
    /// new training cannot be mixed up with it: an old `best.safetensors` would otherwise
    /// be translated with the new vocabularies until the first validation replaced it.
    /// Other files in the folder are left alone.
    public func removeTraining(alsoRemoving derivedFiles: [String] = []) throws {
        let files = [configPath, sourceVocabularyPath, targetVocabularyPath, subwordCodesPath,
                     bestWeightsPath, lastWeightsPath, averagedWeightsPath, optimizerPath,
                     trainerStatePath, logPath]
            + derivedFiles.map(path) + stepWeightsFiles()
        for file in files where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.removeItem(atPath: file)
        }
    }

    // MARK: Writing

    /// Writes the configuration, vocabularies and subword merges (if any), creating the
    /// folder if needed.
    public func writeDescription(_ config: Configuration, source: Vocabulary, target: Vocabulary,
                                 subwords: BytePairEncoding? = nil) throws {
        try createFolder(atPath: folder, purpose: "the checkpoint folder")
        try AtomicFile.write(try Self.json(config) + "\n", to: configPath)
        try source.write(to: sourceVocabularyPath)
        try target.write(to: targetVocabularyPath)
        try subwords?.write(to: subwordCodesPath)
    }

    public func writeWeights(_ model: any TranslationModel, to path: String) throws {
        try SafeTensors.write(model.weights(), metadata: Self.weightsMetadata, to: path)
    }

    /// JSON with sorted keys, readable and stable from save to save.
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: Reading

    /// Reads config.json, refusing another format version and a setting left out (see
    /// ``Configuration/Source/checkpoint``).
    public func readConfiguration() throws(InputError) -> Configuration {
        try Configuration(contentsOf: configPath, as: .checkpoint)
    }

    /// The configuration and both vocabularies: what a model is built from.
    public func readDescription() throws(InputError)
        -> (config: Configuration, source: Vocabulary, target: Vocabulary) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
            throw InputError(path: folder, "no such checkpoint folder")
        }
        guard isFolder.boolValue else { throw InputError(path: folder, "is a file, not a checkpoint folder") }
        return (try readConfiguration(), try Vocabulary(contentsOf: sourceVocabularyPath),
                try Vocabulary(contentsOf: targetVocabularyPath))
    }

    /// The subword merges the model was trained with, read from bpe.codes.txt, or `nil`
    /// when `config` says it works on whole words.
    public func readSubwords(for config: Configuration) throws(InputError) -> BytePairEncoding? {
        config.vocabulary.merges > 0 ? try BytePairEncoding(contentsOf: subwordCodesPath) : nil
    }

    /// Loads the model saved in `weightsFile` (best.safetensors unless told otherwise),
    /// checking it against the configuration and vocabularies saved beside it, and that
    /// every weight is finite. Also returns the version of the weights file read, so that
    /// one read while a training runs can tell when the training has saved over it.
    public func loadModel(weightsFile: String = "best.safetensors")
        throws -> (model: any TranslationModel, config: Configuration, source: Vocabulary, target: Vocabulary,
                   weights: FileVersion?) {
        let (config, source, target) = try readDescription()
        let weightsPath = path(weightsFile)
        let version = FileVersion(atPath: weightsPath)
        let (arrays, metadata) = try WeightsFile.read(weightsPath)
        let model = try makeModel(config: config, source: source, target: target,
                                  weights: arrays, metadata: metadata, path: weightsPath)
        model.trackGradients(false)
        return (model, config, source, target, version)
    }

    /// The model that `config` and the vocabularies describe, holding `weights` (read from
    /// `path`, whose format version must be ours).
    func makeModel(config: Configuration, source: Vocabulary, target: Vocabulary,
                   weights: [NamedArray], metadata: [String: String], path: String) throws(InputError) -> any TranslationModel {
        if let version = metadata["format_version"], version != String(Configuration.currentFormatVersion) {
            throw InputError(path: path, "format version \(version), this nmt reads version \(Configuration.currentFormatVersion)")
        }
        try checkVocabularies(weights, source: source, target: target, weightsPath: path)
        // Every weight is replaced by the file's, or loading fails: nothing to draw.
        var generator = SeededGenerator(seed: 0)
        let model = Tensor.withoutDrawingWeights {
            config.model.makeModel(sourceVocabularySize: source.count, targetVocabularySize: target.count,
                                   generator: &generator)
        }
        try model.load(weights, from: path)
        return model
    }

    /// A vocabulary that does not match the embeddings is the likeliest mix-up (files
    /// copied between folders), so it gets its own message.
    private func checkVocabularies(_ arrays: [NamedArray], source: Vocabulary, target: Vocabulary,
                                   weightsPath: String) throws(InputError) {
        for (name, vocabulary, file) in [("encoder.embedding.weight", source, sourceVocabularyPath),
                                         ("decoder.embedding.weight", target, targetVocabularyPath),
                                         ("source_embedding.weight", source, sourceVocabularyPath),
                                         ("target_embedding.weight", target, targetVocabularyPath)] {
            if let rows = arrays.first(where: { $0.name == name })?.shape.first, rows != vocabulary.count {
                throw InputError(path: file, "vocabulary has \(vocabulary.count) entries but \(weightsPath) was trained with \(rows)")
            }
        }
    }

    /// The most recently modified checkpoint folder under `root` (one with a config.json).
    public static func mostRecent(under root: String = "checkpoints") -> String? {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: root) else { return nil }
        let folders = names.map { (root as NSString).appendingPathComponent($0) }
            .filter { manager.fileExists(atPath: ($0 as NSString).appendingPathComponent("config.json")) }
        func modified(_ folder: String) -> Date {
            let file = (folder as NSString).appendingPathComponent("config.json")
            let weights = (folder as NSString).appendingPathComponent("last.safetensors")
            let attributes = (try? manager.attributesOfItem(atPath: weights)) ?? (try? manager.attributesOfItem(atPath: file))
            return attributes?[.modificationDate] as? Date ?? .distantPast
        }
        return folders.max { modified($0) < modified($1) }
    }
}
