/// `nmt translate` on a folder whose training saves new weights while it translates: it
/// goes on with the weights it read, and says so.
import Foundation
import Testing
import Translation
@testable import Files

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct WeightsChangedTests {
    /// Lines are fed one at a time, and the weights are saved over between them, as a
    /// training would: the second line is still translated by the model read at the start.
    @Test func translatingWhileTheWeightsAreSavedOverSaysSo() throws {
        let fixture = try CommandFixture()
        try FileManager.default.copyItem(atPath: fixture.path("model"), toPath: fixture.path("original"))
        let input = Pipe()
        let process = try CommandRunner.start(["translate", "--checkpoint", "model", "--batch-size", "1"],
                                              input: input, in: fixture.folder)
        input.fileHandleForWriting.write(Data("ein hund\n".utf8))
        let deadline = Date().addingTimeInterval(60)
        while (try? String(contentsOfFile: fixture.path(".stdout"), encoding: .utf8))?.isEmpty != false
                && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let path = fixture.path("model/best.safetensors")
        let (arrays, metadata) = try SafeTensors.read(path)
        let changed = arrays.map { NamedArray(name: $0.name, shape: $0.shape, values: $0.values.map { -2 * $0 }) }
        try SafeTensors.write(changed, metadata: metadata, to: path)
        input.fileHandleForWriting.write(Data("läuft hund ein\n".utf8))
        try input.fileHandleForWriting.close()
        let outcome = try CommandRunner.finish(process, in: fixture.folder)

        #expect(outcome.status == 0)
        #expect(outcome.standardError == "note: model/best.safetensors changed while translating; "
                + "the translations are from the weights read at the start\n")
        let lines = outcome.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        let before = try CommandRunner.run(["translate", "--checkpoint", "original", "ein hund", "läuft hund ein"],
                                           in: fixture.folder, run: "original")
        #expect(lines == before.standardOutput.split(separator: "\n", omittingEmptySubsequences: false))
        #expect(before.standardError.isEmpty, "a note without a change")
    }
}
