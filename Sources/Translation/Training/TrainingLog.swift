/// The training record: one line of log.jsonl per validation, and the trainer's state.
import Foundation
import Autodiff
import Files

/// One validation, as a line of log.jsonl.
public struct LogEntry: Codable, Equatable, Sendable {
    public var step: Int
    public var epoch: Int
    /// Mean training loss per token since the previous validation.
    public var trainLoss: Double
    /// Mean loss per token on the validation set, without dropout.
    public var validLoss: Double
    /// Corpus BLEU of greedy translations of the validation set.
    public var validBLEU: Double
    /// Target tokens per second of training (forward, backward and update).
    public var tokensPerSecond: Double
    /// Seconds of training so far, over all runs of a resumed training.
    public var wallSeconds: Double
    public var learningRate: Double

    enum CodingKeys: String, CodingKey {
        case step, epoch
        case trainLoss = "train_loss", validLoss = "valid_loss", validBLEU = "valid_bleu"
        case tokensPerSecond = "tokens_per_second", wallSeconds = "wall_seconds"
        case learningRate = "learning_rate"
    }

    /// Reads log.jsonl; a missing file is an empty log.
    public static func readLog(_ path: String) throws(InputError) -> [LogEntry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var entries: [LogEntry] = []
        for (index, line) in try readLines(atPath: path).enumerated() where !line.isEmpty {
            guard let entry = try? JSONDecoder().decode(LogEntry.self, from: Data(line.utf8)) else {
                throw InputError(path: path, line: index + 1, "not a log entry")
            }
            entries.append(entry)
        }
        return entries
    }

    public static func writeLog(_ entries: [LogEntry], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }
        try AtomicFile.write(lines.joined(), to: path)
    }
}

/// Everything besides weights and optimiser moments that a resumed training needs to
/// continue exactly as if it had never stopped (saved in the ``TrainingSnapshot``, and
/// as trainer.json for reading).
public struct TrainerState: Codable, Equatable, Sendable {
    /// Updates done so far.
    public var step = 0
    /// The current epoch (from 1) and how many of its batches are done.
    public var epoch = 1
    public var batchesDoneInEpoch = 0
    /// The data-order generator as it was when the current epoch's batches were drawn, so
    /// that a resumed run draws the same batches and skips the ones done.
    public var epochGenerator: SeededGenerator
    public var dropoutGenerator: SeededGenerator
    public var learningRate: Float
    public var bestBLEU: Double = -1
    public var bestStep = 0
    /// Validations since BLEU last improved, and since the learning rate was last cut.
    public var validationsWithoutImprovement = 0
    public var validationsSinceDecay = 0
    public var wallSeconds: Double = 0
    /// The training loss summed over the target tokens since the last validation, and
    /// their number: the next log line's train loss, which must count the steps taken
    /// before an interruption too.
    public var lossSinceValidation: Double = 0
    public var tokensSinceValidation = 0
    /// The number of training pairs, since resuming on another corpus would not continue
    /// the same epoch.
    public var trainingPairs = 0
    /// The processes of a data-parallel training, nil for one (and in checkpoints written
    /// before distributed training): resuming needs the same number, since each step's
    /// batch is processes × batchSize sentences.
    public var processes: Int?
    /// Why training ended, once it has (nil while it can go on).
    public var stopReason: String?
}
