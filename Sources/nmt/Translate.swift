/// `nmt translate`: translate sentences given as arguments, or standard input line by line.
import ArgumentParser
import Foundation
import Translation
import Autodiff
import Files
import Figures

/// Which weights file of a checkpoint to load.
enum Weights: String, ExpressibleByArgument, CaseIterable {
    /// The weights with the best validation BLEU.
    case best
    /// The weights after the latest training step.
    case last
    /// The mean of the weights of the last validations (`training.averageLast`).
    case averaged

    var file: String { rawValue + ".safetensors" }
}

/// The options of every command that decodes: which model, and how to search.
struct DecodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Checkpoint folder (default: the most recently trained one under checkpoints/).",
                               valueName: "dir"))
    var checkpoint: String?
    @Option(help: "Which weights to load: best (by validation BLEU), last, or averaged (the last validations' mean).")
    var weights = Weights.best
    // Numbers parse `.unconditional`ly, so that `--beam -1` is reported as out of range
    // rather than as a missing value.
    @Option(parsing: .unconditional, help: ArgumentHelp("Beam size; 1 is greedy search.", valueName: "k"))
    var beam = 1
    @Option(parsing: .unconditional, help: "Length normalisation: a beam hypothesis scores log P / length^alpha.")
    var alpha: Float = 1
    @Option(parsing: .unconditional, help: ArgumentHelp("Longest translation, in tokens: ratio × source tokens + --max-length-extra.",
                               valueName: "ratio"))
    var maxLengthRatio: Float = 2
    @Option(parsing: .unconditional, help: ArgumentHelp("Tokens allowed beyond --max-length-ratio × source tokens.", valueName: "n"))
    var maxLengthExtra = 10
    @Option(parsing: .unconditional, help: ArgumentHelp("Sentences decoded together.", valueName: "n"))
    var batchSize = 32
    @Option(parsing: .unconditional, help: ArgumentHelp("Threads for matrix products.", valueName: "n"))
    var threads = 1

    /// Checks the values given. Called inside `reportingErrors` rather than as the argument
    /// parser's `validate()`, so that a bad value gives one `error:` line and status 1 like
    /// every other error of these commands.
    func check() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1, got \(beam)") }
        guard alpha >= 0 && alpha.isFinite else { throw ValidationError("--alpha must be 0 or more, got \(alpha)") }
        // The upper bounds keep the length limit's arithmetic far from overflowing.
        guard maxLengthRatio >= 0 && maxLengthRatio <= 100 else {
            throw ValidationError("--max-length-ratio must be between 0 and 100, got \(maxLengthRatio)")
        }
        guard maxLengthExtra >= 0 && maxLengthExtra <= 10_000 else {
            throw ValidationError("--max-length-extra must be between 0 and 10000, got \(maxLengthExtra)")
        }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    var limit: LengthLimit { LengthLimit(ratio: maxLengthRatio, extra: maxLengthExtra) }

    /// --checkpoint, or else the most recently trained folder under checkpoints/.
    func checkpointFolder() throws -> String {
        if let checkpoint { return checkpoint }
        guard let recent = Checkpoint.mostRecent() else {
            throw ValidationError("no checkpoint under checkpoints/: train one with `nmt train`, or give --checkpoint DIR")
        }
        return recent
    }
}

struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate German sentences into English.",
        discussion: """
            With sentences as arguments, prints one translation per argument. With none, reads \
            standard input and writes one translation per line, in order, as each batch is done \
            (an empty line gives an empty line); from a terminal every line is translated as soon \
            as it is typed.

            --show-attention FILE.svg draws the alignment matrix of every sentence translated, as \
            in figure 3 of Bahdanau et al. (2015): source words across the top, output words down \
            the side, darker for more attention. The sentences are stacked one below the other in \
            that one file, so it is meant for a handful of sentences. A model trained with \
            --attention none has no alignment; the file then says so.
            """)

    @OptionGroup var decoding: DecodingOptions

    @Option(name: .customLong("show-attention"), help: ArgumentHelp(
        "Also write the alignment matrices to this SVG file.", valueName: "FILE.svg"))
    var attentionFile: String?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Translate only the first n tokens of a longer sentence, with a note on standard error.", valueName: "n"))
    var maxSourceTokens = 250

    @Argument(help: "Sentences to translate (default: standard input, line by line).")
    var sentences: [String] = []

    func run() throws {
        try reportingErrors {
            try decoding.check()
            guard maxSourceTokens >= 1 else {
                throw ValidationError("--max-source-tokens must be at least 1, got \(maxSourceTokens)")
            }
            // A figure that could not be written would be found out only after translating.
            if let attentionFile {
                let folder = (attentionFile as NSString).deletingLastPathComponent
                var isFolder: ObjCBool = false
                guard folder.isEmpty || FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
                        && isFolder.boolValue else {
                    throw InputError(path: attentionFile, "no folder \(folder) to write the figure in")
                }
            }
            setBLASThreads(decoding.threads)
            let checkpoint = Checkpoint(folder: try decoding.checkpointFolder())
            let translator = try Translator(checkpoint: checkpoint, weightsFile: decoding.weights.file)
            let origin = sentences.isEmpty ? "standard input line" : "argument"
            var done = 0
            var figures: [AlignmentFigure] = []
            func translateAndWrite(_ lines: [String]) {
                let translations = translator.translate(lines, beam: decoding.beam, alpha: decoding.alpha,
                                                        limit: decoding.limit, batchSize: decoding.batchSize,
                                                        maxSourceTokens: maxSourceTokens)
                FileHandle.standardOutput.write(Data(translations.map { $0.text + "\n" }.joined().utf8))
                for (i, translation) in translations.enumerated() where translation.droppedSourceTokens > 0 {
                    let length = translation.sourceTokens.count + translation.droppedSourceTokens
                    note("note: \(origin) \(done + i + 1) has \(length) tokens; only the first \(maxSourceTokens) "
                         + "were translated (--max-source-tokens)")
                }
                done += lines.count
                if attentionFile != nil {
                    for translation in translations {
                        figures.append(AlignmentFigure(translation, caption: "Sentence \(figures.count + 1)"))
                    }
                }
            }
            if sentences.isEmpty {
                // From a terminal, answer each line at once; from a pipe, fill whole batches.
                let batch = isatty(STDIN_FILENO) == 1 ? 1 : decoding.batchSize
                let input = StandardInputLines()
                var lines: [String] = []
                while let line = try input.next() {
                    lines.append(line)
                    if lines.count == batch {
                        translateAndWrite(lines)
                        lines.removeAll(keepingCapacity: true)
                    }
                }
                if !lines.isEmpty { translateAndWrite(lines) }
            } else {
                translateAndWrite(sentences)
            }
            if let attentionFile {
                try AtomicFile.write(AlignmentFigure.svg(stacking: figures), to: attentionFile)
                note("alignments of \(figures.count) sentence\(figures.count == 1 ? "" : "s") written to \(attentionFile)")
            }
            // A training in the folder may save over the weights while we translate.
            if let weights = translator.weightsVersion, !weights.isCurrent {
                note("note: \(weights.path) changed while translating; "
                     + "the translations are from the weights read at the start")
            }
        }
    }
}

/// Standard input one line at a time, so that input of any length is read in constant
/// memory. Lines end at `\n`; a `\r` before it and a byte order mark at the very start are
/// removed, as `readLines(atPath:)` does for files.
private final class StandardInputLines {
    private let file = fdopen(STDIN_FILENO, "r")
    private var buffer: UnsafeMutablePointer<CChar>? = nil
    private var capacity = 0
    private var lineNumber = 0

    deinit { free(buffer) }

    /// The next line, or nil at the end of the input.
    func next() throws(InputError) -> String? {
        let length = getline(&buffer, &capacity, file)
        guard length >= 0, let buffer else {
            if let file, ferror(file) != 0 { throw InputError(path: "standard input", "cannot be read") }
            return nil
        }
        lineNumber += 1
        var bytes = UnsafeRawBufferPointer(start: buffer, count: length)[...]
        if bytes.last == 0x0A {
            bytes = bytes.dropLast()
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
        }
        if lineNumber == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let line = String(validating: bytes, as: UTF8.self) else {
            throw InputError(path: "standard input", line: lineNumber, "invalid UTF-8")
        }
        return line
    }
}
