/// A tiny made-up parallel corpus and a configuration small enough to train in a test.
import Foundation
import TestSupport
@testable import Translation
@testable import Autodiff
@testable import Files
@testable import Text

/// Training and validation corpora written to a temporary folder, a checkpoint folder
/// beside them, and a configuration that trains a few-hundred-parameter model in well
/// under a second per epoch.
struct TrainingFixture {
    let folder: TemporaryFolder
    let train: ParallelCorpus
    let valid: ParallelCorpus
    var config: Configuration

    /// `pairs` training pairs of four to eight words in batches of four, and eight
    /// validation pairs; dropout on, so that the dropout generator matters.
    init(pairs: Int = 30) throws {
        folder = try TemporaryFolder()
        train = try Self.corpus(named: "train", pairs: pairs, seed: 1, in: folder)
        valid = try Self.corpus(named: "valid", pairs: 8, seed: 2, in: folder)
        config = Configuration()
        config.model = tinyConfig(size: 4)
        config.model.dropout = 0.2
        config.training.batchSize = 4
        config.training.maxEpochs = 3
        config.training.validateEvery = 5
        config.training.decayPatience = 1
        config.training.patience = 100
        config.training.threads = 1
        config.training.seed = 7
        config.vocabulary.minFrequency = 1
    }

    var checkpoint: Checkpoint { Checkpoint(folder: folder.path("model")) }

    /// A new training into ``checkpoint``.
    func newTrainer() throws -> Trainer {
        try Trainer(config: config, train: train, valid: valid, checkpoint: checkpoint)
    }

    /// The training saved in ``checkpoint``, continued.
    func resumedTrainer() throws -> Trainer {
        try Trainer(resuming: checkpoint, train: train, valid: valid)
    }

    /// Sentence pairs where each German word has one English word, so there is something
    /// to learn; the same seed always gives the same corpus.
    private static func corpus(named name: String, pairs: Int, seed: UInt64,
                               in folder: TemporaryFolder) throws -> ParallelCorpus {
        let words = [("der", "the"), ("hund", "dog"), ("katze", "cat"), ("sieht", "sees"),
                     ("ein", "a"), ("kind", "child"), ("läuft", "runs"), ("schnell", "fast")]
        var generator = SeededGenerator(seed: seed)
        var sources: [String] = [], targets: [String] = []
        for _ in 0..<pairs {
            let length = 4 + Int(generator.next() % 5)
            let chosen = (0..<length).map { _ in words[Int(generator.next() % UInt64(words.count))] }
            sources.append(chosen.map(\.0).joined(separator: " "))
            targets.append(chosen.map(\.1).joined(separator: " "))
        }
        let prefix = folder.path(name)
        try (sources.joined(separator: "\n") + "\n").write(toFile: prefix + ".de", atomically: false, encoding: .utf8)
        try (targets.joined(separator: "\n") + "\n").write(toFile: prefix + ".en", atomically: false, encoding: .utf8)
        return try ParallelCorpus(prefix: prefix)
    }
}

/// What a training run leaves behind to compare: the loss of every step, the log, the
/// final weights and the trainer's final state (without its timings).
struct TrainingRecord: Equatable {
    var losses: [UInt64] = []
    var log: [LogEntry] = []
    var weights: [NamedArray] = []
    var state: TrainerState?

    /// Runs `trainer` until it stops by itself or after `stopAfter` more steps, adding
    /// each step's loss (as bits, so that equality is bitwise).
    mutating func run(_ trainer: Trainer, stopAfter steps: Int = .max) throws {
        var taken = 0
        try trainer.run(shouldStop: { taken >= steps }) { event in
            if case let .step(_, _, loss, _, _) = event {
                losses.append(loss.bitPattern)
                taken += 1
            }
        }
        log = trainer.log
        weights = trainer.model.weights()
        state = trainer.state
        state?.wallSeconds = 0
    }
}

/// Two trainings of fixtures made alike by `make`: one uninterrupted, one stopped after
/// `stopAfter` steps and resumed; their records, and the second's fixture.
func uninterruptedAndResumed(stopAfter steps: Int, _ make: () throws -> TrainingFixture) throws
    -> (expected: TrainingRecord, resumed: TrainingRecord, fixtures: (whole: TrainingFixture, parted: TrainingFixture)) {
    let whole = try make(), parted = try make()
    var expected = TrainingRecord(), record = TrainingRecord()
    try expected.run(try whole.newTrainer())
    try record.run(try parted.newTrainer(), stopAfter: steps)
    try record.run(try parted.resumedTrainer())
    return (expected, record, (whole, parted))
}

extension LogEntry {
    /// The entry without its timings, which differ from run to run.
    var withoutTimings: LogEntry {
        var entry = self
        entry.tokensPerSecond = 0
        entry.wallSeconds = 0
        return entry
    }
}
