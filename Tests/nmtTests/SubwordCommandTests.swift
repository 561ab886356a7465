/// The command line with byte-pair subword units: the --merges setting and a checkpoint's
/// bpe.codes.txt, when they are wrong.
import Foundation
import Testing

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct SubwordCommandTests {
    @Test func negativeMergesAreRefused() throws {
        let fixture = try CommandFixture()
        let outcome = try CommandRunner.run(["train", "--merges", "-1"], in: fixture.folder)
        #expect(outcome.firstErrorLine == "error: vocabulary.merges must be 0 (whole words) or more, got -1")
        #expect(outcome.status == 1)
    }

    /// A checkpoint of subwords whose codes file is malformed, or missing, is named with
    /// the line at fault, and nothing is translated.
    @Test func badCodesFileIsNamedByLine() throws {
        let fixture = try CommandFixture()
        try FileManager.default.copyItem(atPath: fixture.path("model"), toPath: fixture.path("bpe"))
        let config = try String(contentsOfFile: fixture.path("bpe/config.json"), encoding: .utf8)
        try fixture.write("bpe/config.json", config.replacingOccurrences(of: "\"merges\" : 0", with: "\"merges\" : 2"))
        try fixture.write("bpe/bpe.codes.txt", "#version: 0.2\ne i\nein\n")
        let malformed = try CommandRunner.run(["translate", "--checkpoint", "bpe", "ein hund"], in: fixture.folder)
        #expect(malformed.firstErrorLine == "error: bpe/bpe.codes.txt:3: expected two symbols separated by one space, found 'ein'")
        #expect(malformed.status == 1)
        #expect(malformed.standardOutput.isEmpty)

        try FileManager.default.removeItem(atPath: fixture.path("bpe/bpe.codes.txt"))
        let missing = try CommandRunner.run(["translate", "--checkpoint", "bpe", "ein hund"], in: fixture.folder)
        #expect(missing.firstErrorLine == "error: bpe/bpe.codes.txt: no such file")
        #expect(missing.status == 1)
    }
}
