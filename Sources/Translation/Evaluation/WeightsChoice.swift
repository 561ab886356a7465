/// Choosing between a checkpoint's best and averaged weights by their validation BLEU.
import Foundation
import Scoring
import Text

/// Which of a checkpoint's weights to test: the best validation's or the mean of several
/// validations'. Averaging usually gains a little (Junczys-Dowmunt et al. 2016), but not
/// always, and the test set must not decide: the choice is made on the validation set,
/// by the score the trainer validates with (corpus BLEU of greedy translations).
public struct WeightsChoice: Sendable {
    /// Every candidate weights file and its validation BLEU, in the order tried.
    public let scores: [(file: String, bleu: Double)]

    /// The file with the highest validation BLEU; the first on a tie, so that the best
    /// weights stay the choice unless averaging really helps.
    public var chosen: String {
        scores.dropFirst().reduce(scores[0]) { $1.bleu > $0.bleu ? $1 : $0 }.file
    }

    /// The candidates of `checkpoint`: best.safetensors, and averaged.safetensors if the
    /// training wrote one.
    public static func candidates(_ checkpoint: Checkpoint) -> [String] {
        let averaged = checkpoint.averagedWeightsPath
        return ["best.safetensors"]
            + (FileManager.default.fileExists(atPath: averaged) ? [(averaged as NSString).lastPathComponent] : [])
    }

    init(scores: [(file: String, bleu: Double)]) {
        precondition(!scores.isEmpty, "a choice needs a candidate")
        self.scores = scores
    }

    /// Translates `valid` greedily with each candidate of `checkpoint` and scores it.
    public init(checkpoint: Checkpoint, valid: ParallelCorpus, limit: LengthLimit = LengthLimit(),
                batchSize: Int = 64) throws {
        let lowercase = try checkpoint.readConfiguration().vocabulary.lowercase
        self.init(scores: try Self.candidates(checkpoint).map { file in
            let translator = try Translator(checkpoint: checkpoint, weightsFile: file)
            let hypotheses = translator.translate(valid.sources, limit: limit, batchSize: batchSize).map(\.text)
            let bleu = BLEU(lowercase: lowercase).corpusScore(hypotheses: hypotheses, references: valid.targets)
            return (file, bleu.score)
        })
    }

    /// "averaged.safetensors (validation BLEU 37.9; best.safetensors 37.2)".
    public var description: String {
        let chosen = chosen
        let others = scores.filter { $0.file != chosen }.map { "\($0.file) \(String(format: "%.1f", $0.bleu))" }
        let own = scores.first { $0.file == chosen }!.bleu
        return "\(chosen) (validation BLEU \(String(format: "%.1f", own))"
            + (others.isEmpty ? "" : "; " + others.joined(separator: ", ")) + ")"
    }
}
