/// `nmt translate`: translate sentences given as arguments, or standard input line by line.
import ArgumentParser
import Foundation
import Translation
import Autodiff
import Files
import Figures
import Reports

struct Translate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate German sentences into English.",
        discussion: """
            With sentences as arguments, prints one translation per argument. With none, reads \
            standard input and writes one translation per line, in order, eight batches per \
            thread at a time (an empty line gives an empty line); from a terminal every line is \
            translated as soon as it is typed.

            --show-attention FILE.svg draws the alignment matrix of every sentence translated, as \
            in figure 3 of Bahdanau et al. (2015): source words across the top, output words down \
            the side, darker for more attention. The sentences are stacked one below the other in \
            that one file, so it is meant for a handful of sentences. FILE.html writes the \
            interactive viewer instead: one self-contained page with every sentence, to open from \
            disk. A model trained with --attention none has no alignment; the file then says so. \
            With --attention multi-head, the matrix of the heads' mean is followed by one for \
            each head (in the page, a picker).

            --alignment hard appends " ||| " and the alignment as Pharaoh links i-j (0-based \
            source word i, target word j, whole words after joining subwords; each target word \
            linked to the source word it attends to most), as fairseq and Marian print them; \
            --alignment soft appends the word-level attention matrix as JSON instead.
            """)

    @OptionGroup var decoding: DecodingOptions

    @Option(name: .customLong("show-attention"), help: ArgumentHelp(
        "Also write the alignment matrices to this file: SVG, or an interactive page if it ends in .html.",
        valueName: "FILE.svg|FILE.html"))
    var attentionFile: String?

    @Option(help: "Append ' ||| ' and each translation's alignment: hard (Pharaoh links) or soft (JSON).")
    var alignment: AlignmentFormat?

    @Flag(help: """
        Print the model's own tokens instead of the text: the source as the model read it \
        (subwords, without </s>), ' ||| ', and the output tokens; for feeding the same tokens to \
        another toolkit.
        """)
    var tokens = false

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
            if let attentionFile { try checkFolder(of: attentionFile) }
            setBLASThreads(decoding.threads)
            let translator = try decoding.model.translator()
            let origin = sentences.isEmpty ? "standard input line" : "argument"
            var done = 0
            var drawn: [Translation] = []  // kept only for --show-attention
            func translateAndWrite(_ lines: [String]) {
                let translations = translator.translate(lines, beam: decoding.beam, alpha: decoding.alpha,
                                                        limit: decoding.limit, batchSize: decoding.batchSize,
                                                        maxSourceTokens: maxSourceTokens)
                FileHandle.standardOutput.write(Data(translations.map { line(of: $0) + "\n" }.joined().utf8))
                for (i, translation) in translations.enumerated() where translation.droppedSourceTokens > 0 {
                    let length = translation.sourceTokens.count + translation.droppedSourceTokens
                    note("note: \(origin) \(done + i + 1) has \(length) tokens; only the first \(maxSourceTokens) "
                         + "were translated (--max-source-tokens)")
                }
                done += lines.count
                if attentionFile != nil { drawn += translations }
            }
            if sentences.isEmpty {
                try forEachBatchOfStandardInput(translateAndWrite)
            } else {
                translateAndWrite(sentences)
            }
            if let attentionFile { try writeAttention(of: drawn, to: attentionFile) }
            // A training in the folder may save over the weights while we translate.
            if let weights = translator.weightsVersion, !weights.isCurrent {
                note("note: \(weights.path) changed while translating; "
                     + "the translations are from the weights read at the start")
            }
        }
    }

    /// A figure that could not be written would be found out only after translating.
    private func checkFolder(of file: String) throws {
        let folder = (file as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard folder.isEmpty || FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder)
                && isFolder.boolValue else {
            throw InputError(path: file, "no folder \(folder) to write the figure in")
        }
    }

    /// Standard input in chunks: from a terminal each line at once, from a pipe eight
    /// batches per thread, which the translator sorts by length and decodes a batch per
    /// thread. With one batch per thread, the thread given the shorter sentences waited
    /// for the other at every chunk: with two threads, the second core was busy less than
    /// half the time.
    private func forEachBatchOfStandardInput(_ body: ([String]) -> Void) throws {
        let batch = isatty(STDIN_FILENO) == 1 ? 1 : 8 * decoding.batchSize * decoding.threads
        let input = LineReader()
        var lines: [String] = []
        while let line = try input.next() {
            lines.append(line)
            if lines.count == batch {
                body(lines)
                lines.removeAll(keepingCapacity: true)
            }
        }
        if !lines.isEmpty { body(lines) }
    }

    /// The output line of a translation: its text (or with --tokens its tokens), and its
    /// alignment if asked for.
    private func line(of translation: Translation) -> String {
        let output = tokens
            ? translation.sourceTokens.joined(separator: " ") + " ||| " + translation.tokens.joined(separator: " ")
            : translation.text
        guard let alignment else { return output }
        return output + " ||| " + alignment.text(of: translation)
    }

    /// The SVG figure or, for a file ending in .html, the interactive viewer.
    private func writeAttention(of translations: [Translation], to file: String) throws {
        if file.lowercased().hasSuffix(".html") {
            let viewer = AlignmentViewer(title: "Alignments", sentences: translations.map(AlignmentViewer.Sentence.init))
            try AtomicFile.write(viewer.html(.standalone), to: file)
        } else {
            let figures = translations.enumerated().flatMap { i, translation in
                [AlignmentFigure(translation, caption: "Sentence \(i + 1)")]
                    + AlignmentFigure.heads(of: translation, caption: "Sentence \(i + 1)")
            }
            try AtomicFile.write(AlignmentFigure.svg(stacking: figures), to: file)
        }
        note("alignments of \(translations.count) sentence\(translations.count == 1 ? "" : "s") written to \(file)")
    }
}

/// The forms of `--alignment`.
enum AlignmentFormat: String, ExpressibleByArgument, CaseIterable {
    /// Pharaoh links `i-j`, each target word to its most attended source word.
    case hard
    /// The word-level attention matrix, as JSON.
    case soft

    /// The alignment part of an output line; empty for a model without attention.
    func text(of translation: Translation) -> String {
        guard let words = translation.wordAlignment else { return "" }
        return self == .hard ? words.hardAlignment.pharaoh : words.json
    }
}
