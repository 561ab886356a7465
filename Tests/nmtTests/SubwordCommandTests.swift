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

    /// --tokens prints the subwords the model read and wrote, for another toolkit to be
    /// given the same: here the codes split "hund" into "h@@ und".
    @Test func tokensShowsTheSubwordsTheModelRead() throws {
        let fixture = try CommandFixture()
        try FileManager.default.copyItem(atPath: fixture.path("model"), toPath: fixture.path("bpe"))
        let config = try String(contentsOfFile: fixture.path("bpe/config.json"), encoding: .utf8)
        try fixture.write("bpe/config.json", config.replacingOccurrences(of: "\"merges\" : 0", with: "\"merges\" : 1"))
        try fixture.write("bpe/bpe.codes.txt", "#version: 0.2\nu n\n")
        let text = try CommandRunner.run(["translate", "--checkpoint", "bpe", "ein hund"], in: fixture.folder)
        let tokens = try CommandRunner.run(["translate", "--checkpoint", "bpe", "--tokens", "ein hund"],
                                           in: fixture.folder, run: "tokens")
        #expect(tokens.status == 0, "\(tokens.standardError)")
        let fields = tokens.standardOutput.dropLast().components(separatedBy: " ||| ")
        #expect(fields.count == 2)
        #expect(fields.first == "e@@ i@@ n h@@ un@@ d")
        // The text is the output tokens joined.
        let joined = fields.last?.replacingOccurrences(of: "@@ ", with: "") ?? ""
        #expect(text.standardOutput.dropLast().lowercased() == joined.lowercased())
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
