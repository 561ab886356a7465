/// `nmt train` into a folder that already holds a training: refused unless told to resume
/// or to start over, and starting over leaves nothing of the earlier training behind.
import Foundation
import Testing
import Files

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct TrainingFolderTests {
    /// A few seconds of training of a tiny model on the fixture's corpus into `model/`.
    private let training = ["train", "--train", "train", "--valid", "valid", "--test", "", "--out", "model",
                            "--epochs", "1", "--embedding-size", "4", "--encoder-hidden-size", "4",
                            "--decoder-hidden-size", "4", "--attention-size", "4"]

    /// A first training that failed before writing anything (here: no pair short enough)
    /// used to leave its new folder behind holding only the lock file, which looked like
    /// a training begun.
    @Test func aFailedFirstTrainingLeavesNoFolder() throws {
        let fixture = try CommandFixture()
        let arguments = training.map { $0 == "model" ? "runs/fresh" : $0 } + ["--max-length", "1"]
        let outcome = try CommandRunner.run(arguments, in: fixture.folder)
        #expect(outcome.firstErrorLine == "error: train.de: no pair has at most 1 tokens on both sides "
                + "(30 longer ones left out); raise --max-length")
        #expect(outcome.status == 1)
        #expect(!FileManager.default.fileExists(atPath: fixture.path("runs/fresh")))

        // A folder that was there before stays, with what it held.
        try FileManager.default.createDirectory(atPath: fixture.path("mine"), withIntermediateDirectories: false)
        try fixture.write("mine/notes.txt", "keep me\n")
        let again = try CommandRunner.run(training.map { $0 == "model" ? "mine" : $0 } + ["--max-length", "1"],
                                          in: fixture.folder, run: "again")
        #expect(again.status == 1)
        #expect(FileManager.default.fileExists(atPath: fixture.path("mine/notes.txt")))
    }

    @Test func aFolderHoldingATrainingIsNotTrainedOver() throws {
        let fixture = try CommandFixture()
        let before = try Data(contentsOf: URL(fileURLWithPath: fixture.path("model/best.safetensors")))
        let outcome = try CommandRunner.run(training, in: fixture.folder)
        #expect(outcome.firstErrorLine
            == "error: model already holds a training: --resume continues it, --overwrite replaces it, or choose another --out")
        #expect(outcome.status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("model/best.safetensors"))) == before)

        let both = try CommandRunner.run(["train", "--out", "model", "--resume", "--overwrite"], in: fixture.folder)
        #expect(both.firstErrorLine == "error: --resume and --overwrite cannot be used together")
        #expect(both.status == 1)
    }

    /// The earlier training's files that the new one may not write again (subword codes of
    /// a model of whole words, averaged and step weights, a report) are gone, files that
    /// are not a checkpoint's stay, and the vocabularies are the new corpus's.
    @Test func overwriteStartsOverCleanly() throws {
        let fixture = try CommandFixture()
        for stale in ["bpe.codes.txt", "step-999.safetensors", "averaged.safetensors", "report.md", "report.json",
                      "training.svg", "bleu-by-length.svg", "alignments.svg"] {
            try fixture.write("model/" + stale, "from the earlier training\n")
        }
        try fixture.write("model/notes.txt", "not a checkpoint file\n")
        let outcome = try CommandRunner.run(training + ["--overwrite", "--average-last", "1"], in: fixture.folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")

        let left = try FileManager.default.contentsOfDirectory(atPath: fixture.path("model"))
        for stale in ["bpe.codes.txt", "step-999.safetensors", "averaged.safetensors", "report.md", "report.json",
                      "training.svg", "bleu-by-length.svg", "alignments.svg"] {
            #expect(!left.contains(stale), "\(stale) is left over")
        }
        #expect(left.contains("notes.txt"))
        #expect(left.contains(FolderLock.fileName), "the lock file was removed while held")
        let vocabulary = try String(contentsOfFile: fixture.path("model/vocab.tgt.txt"), encoding: .utf8)
        #expect(vocabulary.contains("cat") && vocabulary.contains("sees"))
    }

    /// A lock file is no training: a folder that holds only one (a training killed before
    /// it wrote anything) is trained into without --overwrite.
    @Test func aLockFileAloneIsNoTraining() throws {
        let fixture = try CommandFixture()
        try FileManager.default.createDirectory(atPath: fixture.path("fresh"), withIntermediateDirectories: false)
        try fixture.write("fresh/" + FolderLock.fileName, "")
        let outcome = try CommandRunner.run(training.map { $0 == "model" ? "fresh" : $0 }, in: fixture.folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }
}
