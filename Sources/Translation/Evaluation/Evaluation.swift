/// Measuring a trained model on a test set: BLEU, chrF, speed, and BLEU by source length.
import Foundation
import Autodiff
import Files
import Scoring
import Text

/// A range of source lengths in words, as on the x axis of figure 2 of Bahdanau et al.
public struct LengthBucket: Codable, Equatable, Sendable {
    public let lowest: Int
    /// nil: no upper bound.
    public let highest: Int?

    public init(_ lowest: Int, _ highest: Int?) {
        self.lowest = lowest
        self.highest = highest
    }

    /// Five words wide, and everything from 21 words on together: "1–5", "6–10", …, "21+".
    public static let standard = [LengthBucket(1, 5), LengthBucket(6, 10), LengthBucket(11, 15),
                                  LengthBucket(16, 20), LengthBucket(21, nil)]

    public var label: String { highest.map { "\(lowest)–\($0)" } ?? "\(lowest)+" }

    public func contains(_ length: Int) -> Bool { length >= lowest && length <= (highest ?? .max) }

    /// The number of words of a source sentence: its whitespace-separated pieces, as a
    /// reader would count them (punctuation attached to a word is not a word of its own).
    public static func words(_ sentence: String) -> Int {
        sentence.split(whereSeparator: \.isWhitespace).count
    }
}

/// The corpus BLEU of the test sentences whose source length falls in a bucket.
public struct BucketScore: Codable, Equatable, Sendable {
    public let bucket: LengthBucket
    public let sentences: Int
    /// nil when no sentence falls in the bucket.
    public let bleu: Double?
}

/// One model's translations of a test set and their scores.
public struct Evaluation: Sendable {
    /// The checkpoint folder's name, e.g. `tiny`.
    public let name: String
    public let checkpointFolder: String
    public let weightsFile: String
    public let config: Configuration
    public let parameterCount: Int
    public let sourceVocabularySize: Int, targetVocabularySize: Int
    public let beam: Int
    public let alpha: Float
    public let translations: [Translation]
    public let references: [String]
    public let sources: [String]
    public let bleu: BLEUScore
    public let chrF: CHRFScore
    /// Wall-clock seconds spent translating (tokenizing, searching and detokenizing), not
    /// loading the model.
    public let seconds: Double
    public let bleuByLength: [BucketScore]
    /// The checkpoint's log.jsonl, for the training curves; empty if there is none.
    public let log: [LogEntry]
    /// The weights file as it was when the model was read from it, if it was (see
    /// ``Translator/weightsVersion``).
    public let weightsVersion: FileVersion?

    public var sentencesPerSecond: Double { Double(translations.count) / max(seconds, 1e-9) }

    /// "tiny (additive attention)", "tiny-none (no attention)" or "tiny-transformer
    /// (Transformer)": how figures and tables tell two models apart.
    public var label: String {
        if config.model.architecture == .transformer { return "\(name) (Transformer)" }
        let attention = config.model.attention
        return "\(name) (" + (attention == .none ? "no attention" : "\(attention.rawValue) attention") + ")"
    }

    /// Scores `translations` of `sources` against `references`. BLEU and chrF lowercase
    /// only if the model was trained on lowercased text.
    public init(name: String, checkpointFolder: String, weightsFile: String, config: Configuration,
                parameterCount: Int, sourceVocabularySize: Int, targetVocabularySize: Int,
                beam: Int, alpha: Float, sources: [String], references: [String], translations: [Translation],
                seconds: Double, log: [LogEntry], weightsVersion: FileVersion? = nil,
                buckets: [LengthBucket] = LengthBucket.standard) {
        precondition(sources.count == references.count && sources.count == translations.count,
                     "one reference and one translation per source")
        self.name = name
        self.checkpointFolder = checkpointFolder
        self.weightsFile = weightsFile
        self.config = config
        self.parameterCount = parameterCount
        self.sourceVocabularySize = sourceVocabularySize
        self.targetVocabularySize = targetVocabularySize
        self.beam = beam
        self.alpha = alpha
        self.sources = sources
        self.references = references
        self.translations = translations
        self.seconds = seconds
        self.log = log
        self.weightsVersion = weightsVersion
        let lowercase = config.vocabulary.lowercase
        let hypotheses = translations.map(\.text)
        bleu = BLEU(lowercase: lowercase).corpusScore(hypotheses: hypotheses, references: references)
        chrF = CHRF(lowercase: lowercase).corpusScore(hypotheses: hypotheses, references: references)
        bleuByLength = Self.scoresByLength(sources: sources, hypotheses: hypotheses, references: references,
                                           buckets: buckets, lowercase: lowercase)
    }

    /// Translates `corpus` with the model saved in `checkpoint`, timing the translation
    /// alone (not the loading), and scores it against the corpus's targets.
    public init(checkpoint: Checkpoint, corpus: ParallelCorpus, weightsFile: String = "best.safetensors",
                beam: Int = 1, alpha: Float = 1, limit: LengthLimit = LengthLimit(), batchSize: Int = 64,
                buckets: [LengthBucket] = LengthBucket.standard) throws {
        let config = try checkpoint.readConfiguration()
        let log = try LogEntry.readLog(checkpoint.logPath)
        let translator = try Translator(checkpoint: checkpoint, weightsFile: weightsFile)
        let start = monotonicSeconds()
        let translations = translator.translate(corpus.sources, beam: beam, alpha: alpha, limit: limit,
                                                batchSize: batchSize)
        let seconds = monotonicSeconds() - start
        let name = (checkpoint.folder as NSString).standardizingPath.split(separator: "/").last.map(String.init)
        self.init(name: name ?? checkpoint.folder, checkpointFolder: checkpoint.folder, weightsFile: weightsFile,
                  config: config, parameterCount: translator.model.parameterCount,
                  sourceVocabularySize: translator.source.count, targetVocabularySize: translator.target.count,
                  beam: beam, alpha: alpha, sources: corpus.sources, references: corpus.targets,
                  translations: translations, seconds: seconds, log: log, weightsVersion: translator.weightsVersion,
                  buckets: buckets)
    }

    /// Corpus BLEU within each bucket of source length.
    public static func scoresByLength(sources: [String], hypotheses: [String], references: [String],
                                      buckets: [LengthBucket], lowercase: Bool) -> [BucketScore] {
        let lengths = sources.map(LengthBucket.words)
        return buckets.map { bucket in
            let members = lengths.indices.filter { bucket.contains(lengths[$0]) }
            let score = members.isEmpty ? nil : BLEU(lowercase: lowercase).corpusScore(
                hypotheses: members.map { hypotheses[$0] }, references: members.map { references[$0] }).score
            return BucketScore(bucket: bucket, sentences: members.count, bleu: score)
        }
    }
}
