/// Interrupted trainings: stopped, or killed while saving, then resumed, they must end
/// bitwise where an uninterrupted training ends.
import Foundation
import Testing
@testable import Translation
@testable import Files

struct TrainerResumeTests {
    /// The fixture's training run without interruption: 8 batches per epoch, 3 epochs,
    /// validations at steps 5, 10, 15 and 20 (or after each epoch), learning-rate cuts.
    func uninterrupted(validateEvery: Int, patience: Int = 100) throws -> TrainingRecord {
        var fixture = try TrainingFixture()
        fixture.config.training.validateEvery = validateEvery
        fixture.config.training.patience = patience
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer())
        return record
    }

    /// Every attention kind resumes exactly (location-aware attention carries its weights
    /// from step to step, multi-head keeps head-split keys and values): stopped mid-epoch
    /// and resumed, the losses, the final weights and averaged.safetensors are those of
    /// an uninterrupted run, bit for bit.
    @Test(arguments: ModelConfig.Attention.allCases)
    func everyKindResumesExactly(attention: ModelConfig.Attention) throws {
        let (expected, record, (whole, parted)) = try uninterruptedAndResumed(stopAfter: 7) {
            var fixture = try TrainingFixture()
            fixture.config.model = tinyConfig(attention: attention, size: 4)
            fixture.config.model.dropout = 0.2
            fixture.config.training.maxEpochs = 2
            return fixture
        }
        #expect(record.losses == expected.losses, "\(attention)")
        #expect(record.weights == expected.weights, "\(attention)")
        #expect(try SafeTensors.read(parted.checkpoint.averagedWeightsPath).arrays
                == SafeTensors.read(whole.checkpoint.averagedWeightsPath).arrays, "\(attention)")
    }

    /// Stopped after `k` steps (mid-epoch, at the end of an epoch, right after a
    /// validation, one step before the end) and resumed: every step's loss, every log line
    /// but the timings, and the final weights equal the uninterrupted run's, bit for bit.
    @Test(arguments: [(3, 5), (8, 5), (10, 5), (23, 5), (3, 0), (8, 0), (13, 0)])
    func stoppedAndResumedEqualsUninterrupted(stopAfter k: Int, validateEvery: Int) throws {
        let expected = try uninterrupted(validateEvery: validateEvery)
        var fixture = try TrainingFixture()
        fixture.config.training.validateEvery = validateEvery
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: k)
        #expect(record.losses.count == k)

        let resumed = try fixture.resumedTrainer()
        #expect(resumed.state.step == k)
        try record.run(resumed)
        #expect(record.losses == expected.losses)
        #expect(record.weights == expected.weights)
        #expect(record.log.map(\.withoutTimings) == expected.log.map(\.withoutTimings))
        #expect(try LogEntry.readLog(fixture.checkpoint.logPath).map(\.withoutTimings)
                == expected.log.map(\.withoutTimings))
        #expect(record.state == expected.state)
        #expect(resumed.state.stopReason == "reached 3 epochs")
    }

    /// The stopping rule counts validations without improvement across a resume: stopped
    /// at any step, the run still stops by patience at the same step.
    @Test func patienceCountsAcrossAResume() throws {
        let expected = try uninterrupted(validateEvery: 2, patience: 3)
        #expect(expected.state?.stopReason == "no better validation BLEU for 3 validations")
        let steps = expected.losses.count
        #expect(steps < 24)
        for k in 1..<steps {
            var fixture = try TrainingFixture()
            fixture.config.training.validateEvery = 2
            fixture.config.training.patience = 3
            var record = TrainingRecord()
            try record.run(try fixture.newTrainer(), stopAfter: k)
            try record.run(try fixture.resumedTrainer())
            #expect(record.losses == expected.losses, "stopped after \(k)")
            #expect(record.state == expected.state, "stopped after \(k)")
            #expect(record.log.map(\.withoutTimings) == expected.log.map(\.withoutTimings), "stopped after \(k)")
        }
    }

    /// A save that fails (as a kill or a full disk would stop it) at any of its files
    /// leaves a checkpoint that resumes and still ends where the uninterrupted run ends.
    /// A folder in the way of a file makes its write fail; the file is set aside meanwhile
    /// and put back, as if the write had never begun.
    @Test(arguments: ["log.jsonl", "last.optim.safetensors", "last.safetensors", "trainer.json"])
    func aSaveThatFailsHalfwayStillResumesExactly(blockedFile: String) throws {
        let expected = try uninterrupted(validateEvery: 5)
        let fixture = try TrainingFixture()
        let trainer = try fixture.newTrainer()
        var record = TrainingRecord()
        try record.run(trainer, stopAfter: 3)

        // The next save is the validation at step 5, and it fails.
        let blocked = fixture.checkpoint.path(blockedFile)
        try FileManager.default.moveItem(atPath: blocked, toPath: blocked + ".aside")
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        let error = #expect(throws: AtomicFileError.self) { try record.run(trainer) }
        #expect(error?.description == "\(blocked): cannot replace the file: Is a directory")
        try FileManager.default.removeItem(atPath: blocked)
        try FileManager.default.moveItem(atPath: blocked + ".aside", toPath: blocked)

        // Whatever the failed save managed to write, resuming goes on from a consistent
        // state: step 3 if the save never took effect, step 5 if it did.
        let resumed = try fixture.resumedTrainer()
        #expect([3, 5].contains(resumed.state.step))
        record.losses = Array(record.losses.prefix(resumed.state.step))
        try record.run(resumed)
        #expect(record.losses == expected.losses)
        #expect(record.weights == expected.weights)
        #expect(record.log.map(\.withoutTimings) == expected.log.map(\.withoutTimings))
    }

    /// A save killed while writing a file leaves that file's temporary copy; resuming
    /// removes it, so that a long run killed now and then does not fill the disk.
    @Test func resumingRemovesTheLeftoversOfAKilledSave() throws {
        let fixture = try TrainingFixture()
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: 2)
        let leftover = fixture.checkpoint.path(".last.optim.safetensors.5eed.tmp")
        try "half a file".write(toFile: leftover, atomically: false, encoding: .utf8)
        _ = try fixture.resumedTrainer()
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    /// The epoch's batches are drawn again on resuming, so they must come from the same
    /// pairs: another corpus is refused rather than trained on in a muddled order.
    @Test func resumingOnAnotherCorpusIsRefused() throws {
        let fixture = try TrainingFixture()
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: 2)
        let other = try TrainingFixture(pairs: 20)
        let error = #expect(throws: InputError.self) {
            try Trainer(resuming: fixture.checkpoint, train: other.train, valid: fixture.valid)
        }
        #expect(error?.description == "\(other.train.sourcePath): 20 training pairs, but the checkpoint "
                + "was trained on 30; resuming needs the same corpus and --max-length")
    }
}
