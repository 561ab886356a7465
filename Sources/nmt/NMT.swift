import ArgumentParser
import Translation

@main
struct NMT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nmt",
        abstract: "Train and run a German→English attention-based translation model.",
        subcommands: []
    )
}
