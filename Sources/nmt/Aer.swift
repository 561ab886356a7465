/// `nmt aer`: the alignment error rate of system links against gold links.
import ArgumentParser
import Scoring

struct Aer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aer",
        abstract: "Score alignments against gold alignments: AER (Och & Ney 2003), precision and recall.",
        discussion: """
            AER = 1 − (|A∩S| + |A∩P|) / (|A| + |S|) over the whole corpus, where A are the \
            system's links, S the gold's sure links (i-j) and P its possible ones (ipj, which \
            include the sure). Both files have one line per sentence pair of links i-j, source \
            word i and target word j, counted from 0 (--one-based for the gold: the talp files \
            of the Europarl German–English gold set count from 1).
            """)

    @Option(help: "Gold alignments: sure links i-j and possible links ipj.")
    var gold: String
    @Argument(help: "System alignments, line by line with --gold; - reads standard input.")
    var hypothesis = "-"
    @Flag(help: "The gold file counts words from 1.")
    var oneBased = false

    func run() throws {
        try reportingErrors {
            print(try AERScore(goldPath: gold, hypothesisPath: hypothesis, oneBased: oneBased).line)
        }
    }
}
