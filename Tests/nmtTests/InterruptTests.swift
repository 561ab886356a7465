/// Stopping nmt train with a signal: it finishes the step, saves, exits 0, and resumes.
import Foundation
import Testing
import Translation
@testable import Text

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct InterruptTests {
    let training = CommandFixture.endlessTraining(into: "run")

    /// Starts `arguments`, waits until nmt has described the training on standard error
    /// (so that it is under way), sends `signal` and waits for the end.
    func interrupt(_ arguments: [String], with signal: Int32, in fixture: CommandFixture) throws -> Outcome {
        let process = try CommandRunner.start(arguments, in: fixture.folder, waitingFor: "checkpoints: run")
        return try CommandRunner.stop(process, with: signal, in: fixture.folder)
    }

    @Test func aSignalSavesAResumableCheckpointAndExitsZero() throws {
        let fixture = try CommandFixture()
        let first = try interrupt(training, with: SIGINT, in: fixture)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardError.contains("; continue with --resume"))
        let checkpoint = Checkpoint(folder: fixture.path("run"))
        let stoppedAt = try Trainer(resuming: checkpoint, train: ParallelCorpus(prefix: fixture.path("train")),
                                    valid: ParallelCorpus(prefix: fixture.path("valid"))).state.step
        #expect(stoppedAt >= 1)

        let resume = ["train", "--resume", "--out", "run", "--train", "train", "--valid", "valid", "--test", ""]
        let second = try interrupt(resume, with: SIGTERM, in: fixture)
        #expect(second.status == 0, "\(second.standardError)")
        #expect(second.firstErrorLine == "resuming run at step \(stoppedAt), epoch \(stoppedAt / 8 + 1)")
        let resumedTo = try Trainer(resuming: checkpoint, train: ParallelCorpus(prefix: fixture.path("train")),
                                    valid: ParallelCorpus(prefix: fixture.path("valid"))).state.step
        #expect(resumedTo > stoppedAt)

        // SIGUSR1, which mpirun forwards without killing, stops the same way.
        let third = try interrupt(resume, with: SIGUSR1, in: fixture)
        #expect(third.status == 0, "\(third.standardError)")
        #expect(third.standardError.contains("; continue with --resume"))
        let resumedAgainTo = try Trainer(resuming: checkpoint, train: ParallelCorpus(prefix: fixture.path("train")),
                                         valid: ParallelCorpus(prefix: fixture.path("valid"))).state.step
        #expect(resumedAgainTo > resumedTo)
    }
}
