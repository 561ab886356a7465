/// `nmt score`: how likely a model finds given translations.
import ArgumentParser
import Translation
import Files

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the negative log-likelihood of each sentence pair, one number per line.",
        discussion: "The sum over the target's tokens and </s> of −log p(token | source, previous tokens).")

    @OptionGroup var model: CheckpointOptions
    @Option(help: "Source sentences, one per line.")
    var src: String
    @Option(help: "Target sentences, line-aligned with --src.")
    var tgt: String

    func run() throws {
        try reportingErrors {
            let translator = try model.translator()
            let (sources, targets) = try readAlignedLines(src, tgt)
            for value in translator.score(sources: sources, targets: targets) {
                print(value)
            }
        }
    }
}
