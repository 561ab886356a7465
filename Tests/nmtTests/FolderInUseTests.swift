/// Two `nmt train` runs on one folder: the second is refused, naming the first, whether it
/// was given --overwrite, --resume or neither, and the first trains on untouched; a
/// training killed with SIGKILL leaves no lock behind.
import Foundation
import Testing
import Translation
@testable import Files
@testable import Text

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct FolderInUseTests {
    /// A few seconds of training of the same tiny model into the same folder.
    let shortTraining = ["train", "--train", "train", "--valid", "valid", "--test", "", "--out", "run",
                         "--epochs", "1", "--embedding-size", "4", "--encoder-hidden-size", "4",
                         "--decoder-hidden-size", "4", "--attention-size", "4"]

    /// A second training with --overwrite used to remove the first one's files under it,
    /// and the first died at its next save (`step-94.safetensors: cannot open`).
    @Test func aSecondTrainingIsRefusedAndTheFirstGoesOn() throws {
        let fixture = try CommandFixture()
        let first = try CommandRunner.start(CommandFixture.endlessTraining(into: "run"), in: fixture.folder,
                                            waitingFor: "checkpoints: run")
        let config = try Data(contentsOf: URL(fileURLWithPath: fixture.path("run/config.json")))
        let resume = ["train", "--resume", "--out", "run", "--train", "train", "--valid", "valid", "--test", ""]
        for arguments in [shortTraining, shortTraining + ["--overwrite"], resume] {
            let second = try CommandRunner.run(arguments, in: fixture.folder, run: "second")
            #expect(second.status == 1)
            #expect(second.firstErrorLine.hasPrefix("error: run: in use by nmt train (process \(first.processIdentifier) since "),
                    "\(second.standardError)")
            #expect(second.firstErrorLine.hasSuffix("); wait for it to end or stop it, or choose another folder"))
        }
        #expect(first.isRunning)

        let outcome = try CommandRunner.stop(first, with: SIGTERM, in: fixture.folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("; continue with --resume"))
        #expect(!outcome.standardError.contains("error"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("run/config.json"))) == config)
        let resumed = try Trainer(resuming: Checkpoint(folder: fixture.path("run")),
                                  train: ParallelCorpus(prefix: fixture.path("train")),
                                  valid: ParallelCorpus(prefix: fixture.path("valid")))
        #expect(resumed.state.step >= 1)
    }

    /// The kernel drops a lock when its holder dies: a training killed with SIGKILL still
    /// names itself in the lock file, and a new one takes the folder all the same.
    @Test func aKilledTrainingLeavesNoLock() throws {
        let fixture = try CommandFixture()
        let first = try CommandRunner.start(CommandFixture.endlessTraining(into: "run"), in: fixture.folder,
                                            waitingFor: "checkpoints: run")
        _ = try CommandRunner.stop(first, with: SIGKILL, in: fixture.folder)
        let record = try Data(contentsOf: URL(fileURLWithPath: fixture.path("run/" + FolderLock.fileName)))
        #expect(FolderLock.Holder(recorded: Array(record))?.process == first.processIdentifier)

        let second = try CommandRunner.run(shortTraining + ["--overwrite"], in: fixture.folder)
        #expect(second.status == 0, "\(second.standardError)")
    }
}
