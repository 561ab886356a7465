/// `nmt bleu`: corpus BLEU (and chrF) of a hypothesis file, as sacreBLEU prints it.
import ArgumentParser
import Foundation
import Translation
import Scoring

struct Bleu: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score translations with corpus BLEU, as sacreBLEU \(sacreBLEUVersion) does by default.",
        discussion: """
            Prints sacreBLEU's text line with its signature, for example
            BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:\(sacreBLEUVersion) = 34.2 ...
            """
    )

    @Argument(help: "The reference translations, one sentence per line.")
    var reference: String

    @Argument(help: "The translations to score, line by line with <reference>; - reads standard input.")
    var hypothesis: String = EvaluationCorpus.standardInput

    @Flag(help: "Lowercase hypotheses and references first (case:lc).")
    var lowercase = false

    @Flag(help: "Also print chrF (character n-grams up to 6, beta 2).")
    var chrf = false

    @Flag(help: "Print JSON, as sacrebleu --format json.")
    var json = false

    func run() throws {
        try reportingErrors {
            let corpus = try EvaluationCorpus(referencePath: reference, hypothesisPath: hypothesis)
            var reports: [String] = []
            let bleu = BLEU(lowercase: lowercase).corpusScore(hypotheses: corpus.hypotheses, references: corpus.references)
            reports.append(json ? bleu.json : bleu.line)
            if chrf {
                let chrF = CHRF(lowercase: lowercase).corpusScore(hypotheses: corpus.hypotheses, references: corpus.references)
                reports.append(json ? chrF.json : chrF.line)
            }
            print(json ? SacreBLEUFormat.jsonReport(reports) : SacreBLEUFormat.textReport(reports))
        }
    }
}
