/// `nmt align`: the alignment of given sentence pairs, as aligners print it.
import ArgumentParser
import Files
import Reports
import Translation
import Autodiff

struct Align: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the alignment of each sentence pair as Pharaoh links, one line per pair.",
        discussion: """
            The model reads each target sentence word by word (teacher forcing), and each \
            target word is linked to the source word it attends to most: links i-j with 0-based \
            source word i and target word j, whole words after subwords are joined, </s> left \
            out. Score them against gold alignments with nmt aer. A model without attention \
            prints empty lines.
            """)

    @OptionGroup var model: CheckpointOptions
    @Option(help: "Source sentences, one per line.")
    var src: String
    @Option(help: "Target sentences, line-aligned with --src.")
    var tgt: String
    @Option(help: "Print the word-level attention matrix as JSON instead of links.")
    var format = AlignmentFormat.hard
    @Option(parsing: .unconditional, help: ArgumentHelp("Threads for matrix products.", valueName: "n"))
    var threads = 1

    func run() throws {
        try reportingErrors {
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads)") }
            setBLASThreads(threads)
            let translator = try model.translator()
            let (sources, targets) = try readAlignedLines(src, tgt)
            for pair in translator.align(sources: sources, targets: targets) {
                print(format.text(of: pair))
            }
        }
    }
}
