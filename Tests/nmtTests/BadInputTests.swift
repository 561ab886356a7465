/// Bad input to every command: one line on standard error saying what is wrong and where,
/// a failing exit status, and nothing on standard output.
import Foundation
import Testing

/// One bad invocation and the first line of standard error it must give.
struct BadInput: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var input: [UInt8] = []
    var firstLine: String
    /// 1 for our own checks; 64 for the argument parser's (EX_USAGE), which follows its
    /// first line with a usage summary.
    var status: Int32 = 1

    var testDescription: String { "nmt " + arguments.joined(separator: " ") }
}

@Suite(.enabled(if: CommandRunner.isAvailable, "the nmt binary is not built beside the tests; run swift build"))
struct BadInputTests {
    static let cases: [BadInput] = [
        // Settings out of range; negative numbers are values, not missing ones.
        BadInput(arguments: ["train", "--batch-size", "-3"], firstLine: "error: training.batchSize must be at least 1, got -3"),
        BadInput(arguments: ["train", "--embedding-size", "-1"],
                 firstLine: "error: model.embeddingSize must be between 1 and 65536, got -1"),
        BadInput(arguments: ["train", "--dropout", "1.5"], firstLine: "error: model.dropout must be in [0, 1), got 1.5"),
        BadInput(arguments: ["train", "--threads", "0"], firstLine: "error: training.threads must be at least 1, got 0"),
        // The attention kinds' settings, refused before the (missing) corpus is read.
        BadInput(arguments: ["train", "--attention", "dot", "--decoder-hidden-size", "100", "--train", "missing"],
                 firstLine: "error: dot attention needs model.decoderHiddenSize (100) equal to twice "
                    + "model.encoderHiddenSize (2 × 128 = 256)"),
        BadInput(arguments: ["train", "--attention", "multi-head", "--attention-heads", "3", "--train", "missing"],
                 firstLine: "error: model.attentionHeads 3 must divide model.attentionSize 128 for multi-head attention"),
        BadInput(arguments: ["train", "--location-width", "4", "--train", "missing"],
                 firstLine: "error: model.locationWidth must be odd, between 1 and 65536, got 4"),
        BadInput(arguments: ["train", "--attention-window", "0", "--train", "missing"],
                 firstLine: "error: model.attentionWindow must be between 1 and 65536, got 0"),
        BadInput(arguments: ["train", "--location-filters", "0", "--train", "missing"],
                 firstLine: "error: model.locationFilters must be between 1 and 65536, got 0"),
        BadInput(arguments: ["train", "--resume", "--epochs", "3", "--out", "model"],
                 firstLine: "error: --epochs cannot be used with --resume: the settings are those in "
                    + "model/config.json (only --threads may change)"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--beam", "0", "x"],
                 firstLine: "error: --beam must be at least 1, got 0"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--beam", "-1", "x"],
                 firstLine: "error: --beam must be at least 1, got -1"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--threads", "0", "x"],
                 firstLine: "error: --threads must be at least 1, got 0"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--max-length-ratio", "1e30", "x"],
                 firstLine: "error: --max-length-ratio must be between 0 and 100, got 1e+30"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--max-source-tokens", "0", "x"],
                 firstLine: "error: --max-source-tokens must be at least 1, got 0"),
        BadInput(arguments: ["evaluate", "--checkpoint", "model", "--test", "ok", "--batch-size", "0"],
                 firstLine: "error: --batch-size must be at least 1, got 0"),
        BadInput(arguments: ["bench", "--threads", "0"], firstLine: "error: --threads must be at least 1, got 0"),
        BadInput(arguments: ["bench", "--sentences", "-5"], firstLine: "error: --sentences must be at least 1, got -5"),
        // Corpora.
        BadInput(arguments: ["train", "--train", "uneven", "--out", "new"],
                 firstLine: "error: uneven.en: 1 lines, but uneven.de has 2; the files must be line-aligned"),
        BadInput(arguments: ["train", "--train", "empty", "--out", "new"],
                 firstLine: "error: empty.de: no sentence pairs (with empty.en); the corpus is empty"),
        BadInput(arguments: ["train", "--train", "missing", "--out", "new"], firstLine: "error: missing.de: no such file"),
        BadInput(arguments: ["train", "--train", "ok", "--valid", "ok", "--test", "", "--max-length", "1", "--out", "new"],
                 firstLine: "error: ok.de: no pair has at most 1 tokens on both sides (1 longer ones left out); "
                    + "raise --max-length"),
        BadInput(arguments: ["train", "--train", "ok", "--valid", "ok", "--test", "missing", "--out", "new"],
                 firstLine: "error: missing.de: no such file"),
        BadInput(arguments: ["score", "--checkpoint", "model", "--src", "uneven.de", "--tgt", "uneven.en"],
                 firstLine: "error: uneven.en: 1 lines, but uneven.de has 2"),
        BadInput(arguments: ["evaluate", "--checkpoint", "model", "--test", "empty"],
                 firstLine: "error: empty.de: no sentence pairs (with empty.en); the corpus is empty"),
        BadInput(arguments: ["bleu", "uneven.de", "uneven.en"], firstLine: "error: uneven.en: 1 lines, but uneven.de has 2"),
        // Invalid UTF-8, named by line.
        BadInput(arguments: ["translate", "--checkpoint", "model"], input: Array("gut\n".utf8) + [0xFF, 0x0A],
                 firstLine: "error: standard input:2: invalid UTF-8"),
        BadInput(arguments: ["bleu", "ok.en"], input: [0x61, 0xC3, 0x0A], firstLine: "error: standard input:1: invalid UTF-8"),
        BadInput(arguments: ["translate", "--checkpoint", "model", "--show-attention", "nowhere/a.svg", "x"],
                 firstLine: "error: nowhere/a.svg: no folder nowhere to write the figure in"),
        BadInput(arguments: ["evaluate", "--checkpoint", "model", "--test", "ok", "--out", "ok.de/report"],
                 firstLine: "error: ok.de/report: cannot create the report folder: ok.de is a file, not a folder"),
        BadInput(arguments: ["score", "--checkpoint", "model", "--src", "ok.de", "--tgt", "ok.en", "--weights", "middle"],
                 firstLine: "Error: The value 'middle' is invalid for '--weights <weights>'. Please provide one of "
                    + "'best', 'last' or 'averaged'.", status: 64),
        // Checkpoints.
        BadInput(arguments: ["translate", "--checkpoint", "ok.de", "x"],
                 firstLine: "error: ok.de: is a file, not a checkpoint folder"),
        BadInput(arguments: ["translate", "--checkpoint", "missing", "x"], firstLine: "error: missing: no such checkpoint folder"),
        BadInput(arguments: ["translate", "--checkpoint", "truncated", "x"],
                 firstLine: "error: truncated/best.safetensors: truncated: header promises 3500 bytes of data, file has 3490"),
        BadInput(arguments: ["translate", "--checkpoint", "newer", "x"],
                 firstLine: "error: newer/config.json: format version 2, this nmt reads version 1"),
        BadInput(arguments: ["translate", "--checkpoint", "mismatched", "x"],
                 firstLine: "error: mismatched/vocab.tgt.txt: vocabulary has 6 entries but "
                    + "mismatched/best.safetensors was trained with 7"),
        BadInput(arguments: ["translate", "--checkpoint", "incomplete", "x"],
                 firstLine: "error: incomplete/config.json: missing setting model.decoderHiddenSize"),
        BadInput(arguments: ["translate", "--checkpoint", "nan", "x"],
                 firstLine: "error: nan/best.safetensors: tensor output.bias holds a non-finite value (nan) at index 6"),
        BadInput(arguments: ["evaluate", "--checkpoint", "inf", "--test", "ok"],
                 firstLine: "error: inf/best.safetensors: tensor encoder.embedding.weight holds a non-finite value (inf) "
                    + "at index 0"),
        BadInput(arguments: ["train", "--resume", "--out", "model", "--train", "ok", "--valid", "ok", "--test", ""],
                 firstLine: "error: model/last.optim.safetensors: cannot open: No such file or directory"),
        // The argument parser's own errors: its first line says what is wrong.
        BadInput(arguments: ["train", "--bogus"], firstLine: "Error: Unknown option '--bogus'. Did you mean '--out'?",
                 status: 64),
        BadInput(arguments: ["translate", "--weights", "middle", "x"],
                 firstLine: "Error: The value 'middle' is invalid for '--weights <weights>'. Please provide one of "
                    + "'best', 'last' or 'averaged'.", status: 64),
    ]

    @Test(arguments: cases)
    func badInputGivesOneClearLine(_ bad: BadInput) throws {
        let fixture = try CommandFixture()
        let outcome = try CommandRunner.run(bad.arguments, input: Data(bad.input), in: fixture.folder)
        #expect(outcome.firstErrorLine == bad.firstLine)
        #expect(outcome.status == bad.status)
        #expect(outcome.standardOutput.isEmpty)
        #expect(!outcome.standardError.contains("Fatal error") && !outcome.standardError.contains("Stack dump"))
    }
}
