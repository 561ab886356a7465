/// `nmt evaluate`: translate a test set and write a report with scores and figures.
import ArgumentParser
import Foundation
import Translation
import Autodiff
import Files
import Scoring
import Text
import Reports

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Translate a test set and write a report: BLEU, chrF, speed and figures.",
        discussion: """
            Writes report.md, report.json and the figures \
            \(EvaluationReport.Figure.allCases.map(\.rawValue).joined(separator: ", ")) into the \
            checkpoint folder (or --out): BLEU and chrF with their sacreBLEU signatures, the \
            model's settings and size, decoding speed, BLEU by source sentence length (figure 2 \
            of Bahdanau et al., 2015), training curves from log.jsonl, the alignments of three test \
            sentences (their figure 3) and example translations. --compare puts a second model, \
            decoded the same way, beside the first in every table and figure (repeat it for more). \
            Without --weights, each checkpoint is tested with its best or its averaged weights, \
            whichever translates --valid (greedy) with the higher BLEU.
            """)

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "Test corpus: a path prefix completed by .de and .en.")
    var test = "data/test"
    @Option(help: ArgumentHelp("""
        Validation corpus prefix, on which the better of best and averaged weights is chosen \
        when --weights is not given.
        """))
    var valid = "data/valid"
    @Option(help: ArgumentHelp("Another checkpoint to compare with, e.g. the --attention none baseline; may be repeated.",
                               valueName: "dir"))
    var compare: [String] = []
    @Option(help: ArgumentHelp("Folder for the report (default: the checkpoint folder).", valueName: "dir"))
    var out: String?

    func run() throws {
        try reportingErrors {
            try decoding.check()
            setBLASThreads(decoding.threads)
            let corpus = try ParallelCorpus(prefix: test)
            let folder = try decoding.model.checkpointFolder()
            // Read only if some checkpoint has averaged weights to choose between.
            var validation: ParallelCorpus?
            let evaluations = try ([folder] + compare).map { folder in
                let checkpoint = Checkpoint(folder: folder)
                var weightsFile = decoding.model.weightsFile
                if decoding.model.weights == nil && WeightsChoice.candidates(checkpoint).count > 1 {
                    if validation == nil { validation = try ParallelCorpus(prefix: valid) }
                    let choice = try WeightsChoice(checkpoint: checkpoint, valid: validation!, limit: decoding.limit,
                                                   batchSize: decoding.batchSize)
                    print("\(folder): \(choice.description) on \(valid)")
                    weightsFile = choice.chosen
                }
                return try Evaluation(checkpoint: checkpoint, corpus: corpus, weightsFile: weightsFile,
                                      beam: decoding.beam, alpha: decoding.alpha, limit: decoding.limit,
                                      batchSize: decoding.batchSize)
            }
            let report = EvaluationReport(evaluations[0], comparedWith: Array(evaluations.dropFirst()),
                                          testPrefix: test)
            let reportFolder = out ?? folder
            try report.write(into: reportFolder)

            let search = decoding.beam == 1 ? "greedy" : "beam \(decoding.beam)"
            for e in evaluations {
                print("\(e.label), \(search), \(corpus.count) sentences of \(test):")
                print(e.bleu.line)
                print(e.chrF.line)
                print(String(format: "%.1f sentences/s", e.sentencesPerSecond))
            }
            // A training in the folder may save over the weights while we evaluate.
            for case let weights? in evaluations.map(\.weightsVersion) where !weights.isCurrent {
                note("note: \(weights.path) changed while evaluating; "
                     + "the scores are from the weights read at the start")
            }
            print("report: \((reportFolder as NSString).appendingPathComponent(EvaluationReport.markdownFile))")
        }
    }

}
