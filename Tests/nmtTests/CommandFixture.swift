/// A folder of small inputs, good and bad, and a tiny checkpoint, for running nmt on.
import Foundation
import TestSupport
import Translation
@testable import Autodiff
@testable import Text

/// A temporary folder holding
/// - `ok.de`/`ok.en`, `train.*` and `valid.*`: small well-formed corpora;
/// - `uneven.*` (2 and 1 lines), `empty.*` (no lines): bad corpora;
/// - `model/`: a checkpoint of a tiny untrained model, and `truncated/`, `newer/`,
///   `mismatched/`, `nan/`, `inf/` and `incomplete/`: copies of it with a cut weights
///   file, a later format version, a target vocabulary that does not match the weights,
///   a NaN as the last weight or infinity as the first, and a config.json without
///   `model.decoderHiddenSize`.
/// It is removed when the value goes away.
final class CommandFixture {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nmtTests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try write("ok.de", "ein hund läuft\n")
        try write("ok.en", "a dog runs\n")
        try write("uneven.de", "eins\nzwei\n")
        try write("uneven.en", "one\n")
        try write("empty.de", "")
        try write("empty.en", "")
        let words = [("der", "the"), ("hund", "dog"), ("katze", "cat"), ("sieht", "sees"), ("läuft", "runs")]
        for (name, count) in [("train", 30), ("valid", 4)] {
            let pairs = (0..<count).map { i in (0..<(3 + i % 4)).map { words[($0 * 7 + i) % words.count] } }
            try write(name + ".de", pairs.map { $0.map(\.0).joined(separator: " ") + "\n" }.joined())
            try write(name + ".en", pairs.map { $0.map(\.1).joined(separator: " ") + "\n" }.joined())
        }
        try makeCheckpoints()
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// The arguments of a training of a tiny model on `train` and `valid` into `out`, far
    /// too long to finish during a test (Int.max epochs): one to stop with a signal.
    static func endlessTraining(into out: String) -> [String] {
        ["train", "--train", "train", "--valid", "valid", "--test", "", "--out", out,
         "--epochs", "9223372036854775807", "--batch-size", "4", "--embedding-size", "4", "--encoder-hidden-size", "4",
         "--decoder-hidden-size", "4", "--attention-size", "4", "--min-frequency", "1", "--threads", "1",
         "--patience", "100000"]
    }

    func path(_ name: String) -> String { folder + "/" + name }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path(name), atomically: false, encoding: .utf8)
    }

    private func makeCheckpoints() throws {
        var config = Configuration()
        config.model.embeddingSize = 4
        config.model.encoderHiddenSize = 4
        config.model.decoderHiddenSize = 4
        config.model.attentionSize = 4
        let source = Vocabulary(tokens: ["ein", "hund", "läuft"])
        let target = Vocabulary(tokens: ["a", "dog", "runs"])
        var generator = SeededGenerator(seed: 1)
        let model = RNNModel(config: config.model, sourceVocabularySize: source.count,
                            targetVocabularySize: target.count, generator: &generator)
        let checkpoint = Checkpoint(folder: path("model"))
        try checkpoint.writeDescription(config, source: source, target: target)
        try checkpoint.writeWeights(model, to: checkpoint.bestWeightsPath)

        let manager = FileManager.default
        for copy in ["truncated", "newer", "mismatched", "nan", "inf", "incomplete"] {
            try manager.copyItem(atPath: path("model"), toPath: path(copy))
        }
        let weights = try Data(contentsOf: URL(fileURLWithPath: path("truncated/best.safetensors")))
        try weights.prefix(weights.count - 10).write(to: URL(fileURLWithPath: path("truncated/best.safetensors")))
        let newer = try String(contentsOfFile: path("newer/config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2")
        try write("newer/config.json", newer)
        try Vocabulary(tokens: ["a", "dog"]).write(to: path("mismatched/vocab.tgt.txt"))
        let incomplete = try String(contentsOfFile: path("incomplete/config.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"decoderHiddenSize\" : 4,", with: "")
        try write("incomplete/config.json", incomplete)
        try DamagedFile.write(.nan, at: -4, of: path("nan/best.safetensors"))
        try DamagedFile.write(.infinity, at: try DamagedFile.safeTensorsDataStart(of: path("inf/best.safetensors")),
                              of: path("inf/best.safetensors"))
    }
}
