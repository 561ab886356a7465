/// Stopping nmt train with a signal: it finishes the step, saves, exits 0, and resumes.
import Foundation
import Testing
import Translation
@testable import Text

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct InterruptTests {
    /// A training far too long to finish during the test (Int.max epochs), on the
    /// fixture's small corpus.
    let training = ["train", "--train", "train", "--valid", "valid", "--test", "", "--out", "run",
                    "--epochs", "9223372036854775807", "--batch-size", "4", "--embedding-size", "4", "--encoder-hidden-size", "4",
                    "--decoder-hidden-size", "4", "--attention-size", "4", "--min-frequency", "1", "--threads", "1",
                    "--patience", "100000"]

    /// Starts `arguments`, waits until nmt has described the training on standard error
    /// (so that it is under way), sends `signal` and waits for the end, killing nmt if it
    /// does not come.
    func interrupt(_ arguments: [String], with signal: Int32, in fixture: CommandFixture) throws -> Outcome {
        let process = try CommandRunner.start(arguments, in: fixture.folder)
        let deadline = Date().addingTimeInterval(120)
        func described() -> Bool {
            let text = try? String(contentsOfFile: fixture.path(".stderr"), encoding: .utf8)
            return text?.contains("checkpoints: run") == true
        }
        while !described() && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        kill(process.processIdentifier, signal)
        let patience = Date().addingTimeInterval(60)
        while process.isRunning && Date() < patience { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            Issue.record("nmt did not stop within a minute of signal \(signal)")
            kill(process.processIdentifier, SIGKILL)
        }
        return try CommandRunner.finish(process, in: fixture.folder)
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
    }
}
