/// Trainings that cannot go on: a clear error, and the last good checkpoint kept.
import Foundation
import TestSupport
import Testing
@testable import Translation
@testable import Files

struct TrainerFailureTests {
    /// The bytes of every file in the checkpoint folder, by name.
    func contents(of checkpoint: Checkpoint) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: checkpoint.folder)
        return Dictionary(uniqueKeysWithValues: try names.map {
            ($0, try Data(contentsOf: URL(fileURLWithPath: checkpoint.path($0))))
        })
    }

    /// A weight that has become NaN makes the loss NaN: the step is refused, the error
    /// says so, and not one byte of the checkpoint changes.
    @Test func aNonFiniteLossStopsTrainingAndKeepsTheCheckpoint() throws {
        let fixture = try TrainingFixture()
        let trainer = try fixture.newTrainer()
        var record = TrainingRecord()
        try record.run(trainer, stopAfter: 3)
        let saved = try contents(of: fixture.checkpoint)

        trainer.model.parameters[0].data = trainer.model.parameters[0].data.map { _ in .nan }
        let error = #expect(throws: TrainingError.self) { try record.run(trainer) }
        #expect(error?.description == "the loss became nan at step 4; the last checkpoint is kept")
        #expect(trainer.state.step == 3)
        #expect(try contents(of: fixture.checkpoint) == saved)
        #expect(try fixture.resumedTrainer().state.step == 3)
    }

    /// A checkpoint folder that cannot be made (a file stands where a parent folder should
    /// be) is an error before any training.
    @Test func anUncreatableCheckpointFolderIsAnError() throws {
        let fixture = try TrainingFixture()
        let file = fixture.folder.path("file")
        try "not a folder".write(toFile: file, atomically: false, encoding: .utf8)
        let error = #expect(throws: InputError.self) {
            try Trainer(config: fixture.config, train: fixture.train, valid: fixture.valid,
                        checkpoint: Checkpoint(folder: file + "/model"))
        }
        #expect(error?.description == "\(file)/model: cannot create the checkpoint folder: \(file) is a file, not a folder")
    }

    /// When --max-length leaves no pair to train on, training stops before it starts (it
    /// used to loop forever over empty epochs) and writes nothing.
    @Test func aCorpusEmptiedByTheLengthLimitIsAnError() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.maxLength = 3
        let error = #expect(throws: InputError.self) { try fixture.newTrainer() }
        #expect(error?.description == "\(fixture.train.sourcePath): no pair has at most 3 tokens on both sides "
                + "(30 longer ones left out); raise --max-length")
        #expect(!FileManager.default.fileExists(atPath: fixture.checkpoint.folder))
    }

    /// The benchmark trains on the same data, and used to divide by its zero batches.
    @Test func theBenchmarkRefusesACorpusEmptiedByTheLengthLimit() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.maxLength = 3
        let error = #expect(throws: InputError.self) {
            try ModelBenchmark.run(config: fixture.config, corpus: fixture.train, batches: 1, sentences: 1) { _ in }
        }
        #expect(error?.path == fixture.train.sourcePath)
    }

    /// Settings far beyond any sensible value (a run of Int.max epochs, a batch larger
    /// than any corpus) train normally instead of overflowing an integer.
    @Test func hugeEpochAndBatchCountsDoNotOverflow() throws {
        var fixture = try TrainingFixture()
        fixture.config.training.maxEpochs = .max
        fixture.config.training.batchSize = .max
        fixture.config.training.validateEvery = .max
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: 2)
        #expect(record.losses.count == 2)
    }

    /// The training snapshot is read as carefully as the weights: a moment that is not
    /// finite would make every update after resuming NaN.
    @Test func aSnapshotHoldingAValueThatIsNotFiniteIsNotResumed() throws {
        let fixture = try TrainingFixture()
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: 2)
        let path = fixture.checkpoint.optimizerPath
        let last = try #require(try SafeTensors.read(path).arrays.last)
        try DamagedFile.write(.infinity, at: -4, of: path)
        let error = #expect(throws: InputError.self) { try fixture.resumedTrainer() }
        #expect(error?.description
                == "\(path): tensor \(last.name) holds a non-finite value (inf) at index \(last.values.count - 1)")
    }
}

