/// `nmt train`'s Transformer options: each reaches its setting, and bad values are
/// refused in one line before any corpus is read.
import Foundation
import Testing

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct TransformerCommandTests {
    static let cases: [BadInput] = [
        BadInput(arguments: ["train", "--architecture", "transformer", "--model-size", "30", "--heads", "4",
                             "--train", "missing"],
                 firstLine: "error: model.modelSize 30 must be divisible by model.heads 4"),
        BadInput(arguments: ["train", "--architecture", "transformer", "--encoder-layers", "0", "--train", "missing"],
                 firstLine: "error: model.encoderLayers must be at least 1, got 0"),
        BadInput(arguments: ["train", "--schedule", "inverse-sqrt", "--warmup-steps", "-5", "--train", "missing"],
                 firstLine: "error: training.warmupSteps must be at least 1, got -5"),
        BadInput(arguments: ["train", "--batch-tokens", "-1", "--train", "missing"],
                 firstLine: "error: training.batchTokens must be 0 (batches of batchSize sentences) or more, got -1"),
        BadInput(arguments: ["train", "--resume", "--tie-output", "--out", "model"],
                 firstLine: "error: --tie-output cannot be used with --resume: the settings are those in "
                    + "model/config.json (only --threads may change)"),
        BadInput(arguments: ["train", "--architecture", "lstm"],
                 firstLine: "Error: The value 'lstm' is invalid for '--architecture <architecture>'. Please provide one of "
                    + "'rnn' and 'transformer'.", status: 64),
    ]

    @Test(arguments: cases)
    func badInputGivesOneClearLine(_ bad: BadInput) throws {
        let fixture = try CommandFixture()
        let outcome = try CommandRunner.run(bad.arguments, input: Data(bad.input), in: fixture.folder)
        #expect(outcome.firstErrorLine == bad.firstLine)
        #expect(outcome.status == bad.status)
        #expect(outcome.standardOutput.isEmpty)
    }

    /// Every option lands in config.json: a two-step Transformer training from options.
    @Test func optionsReachTheConfiguration() throws {
        let fixture = try CommandFixture()
        let arguments = ["train", "--architecture", "transformer", "--model-size", "8", "--heads", "2",
                         "--encoder-layers", "1", "--decoder-layers", "2", "--feed-forward-size", "12", "--tie-output",
                         "--schedule", "inverse-sqrt", "--warmup-steps", "3", "--batch-tokens", "40",
                         "--epochs", "1", "--train", "ok", "--valid", "ok", "--test", "", "--out", "tf",
                         "--min-frequency", "1", "--threads", "1"]
        let outcome = try CommandRunner.run(arguments, in: fixture.folder)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = try String(contentsOfFile: fixture.folder + "/tf/config.json", encoding: .utf8)
        for setting in [#""architecture" : "transformer""#, #""modelSize" : 8"#, #""heads" : 2"#,
                        #""encoderLayers" : 1"#, #""decoderLayers" : 2"#, #""feedForwardSize" : 12"#,
                        #""tieOutput" : true"#, #""schedule" : "inverse-sqrt""#, #""warmupSteps" : 3"#,
                        #""batchTokens" : 40"#] {
            #expect(text.contains(setting), "\(setting) missing from config.json")
        }
    }
}
