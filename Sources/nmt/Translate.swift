/// `nmt translate`: translate sentences given as arguments, or standard input line by line.
import ArgumentParser
import Foundation
import Translation
import Autodiff
import Files
import Figures

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
            --attention none has no alignment; the file then says so. With --attention multi-head, \
            the matrix of the heads' mean is followed by one for each head.
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
            let translator = try decoding.model.translator()
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
                    for (i, translation) in translations.enumerated() {
                        let caption = "Sentence \(done - lines.count + i + 1)"
                        figures.append(AlignmentFigure(translation, caption: caption))
                        figures += AlignmentFigure.heads(of: translation, caption: caption)
                    }
                }
            }
            if sentences.isEmpty {
                // From a terminal, answer each line at once; from a pipe, fill whole batches.
                let batch = isatty(STDIN_FILENO) == 1 ? 1 : decoding.batchSize
                let input = LineReader()
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
                note("alignments of \(done) sentence\(done == 1 ? "" : "s") written to \(attentionFile)")
            }
        }
    }
}
