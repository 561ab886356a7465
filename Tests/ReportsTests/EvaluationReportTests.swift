/// Tests of the evaluation report: BLEU by length, the Markdown and JSON, and the figures.
import Foundation
import Testing
@testable import Reports
@testable import Scoring
@testable import Figures
@testable import Translation

/// A test set of 12 sentences of 2 to 24 words (the German side is "wort1 wort2 …", the
/// English "word1 word2 …"), and outputs that get every third sentence wrong.
private let sources = (1...12).map { n in (1...(2 * n)).map { "wort\($0)" }.joined(separator: " ") }
private let references = (1...12).map { n in (1...(2 * n)).map { "word\($0)" }.joined(separator: " ") }
private let outputs = references.enumerated().map { i, reference in
    i % 3 == 2 ? "something else entirely" : reference
}

private func log(bleu: [Double]) -> [LogEntry] {
    bleu.enumerated().map { i, b in
        LogEntry(step: 100 * (i + 1), epoch: i + 1, trainLoss: 5 - Double(i), validLoss: 4.5 - 0.8 * Double(i),
                 validBLEU: b, tokensPerSecond: 2000, wallSeconds: 10 * Double(i + 1), learningRate: 0.002)
    }
}

/// An evaluation of `outputs`, as if a model named `name` had produced them; models with
/// attention align word i with word i.
private func evaluation(_ name: String, attention: ModelConfig.Attention = .additive,
                        outputs: [String] = outputs, log: [LogEntry] = log(bleu: [3, 8, 11])) -> Evaluation {
    var config = Configuration()
    config.model.attention = attention
    let translations = zip(sources, outputs).map { source, output in
        let sourceTokens = source.split(separator: " ").map(String.init)
        let tokens = output.split(separator: " ").map(String.init)
        let alignment: [[Float]] = attention == .none ? [] : (0...tokens.count).map { i in
            (0...sourceTokens.count).map { j in i == j ? 1 : 0 }
        }
        return Translation(text: output, sourceTokens: sourceTokens, tokens: tokens, alignment: alignment,
                           logProbability: -1)
    }
    return Evaluation(name: name, checkpointFolder: "checkpoints/\(name)", weightsFile: "best.safetensors",
                      config: config, parameterCount: 2_959_267, sourceVocabularySize: 2377,
                      targetVocabularySize: 2083, beam: 1, alpha: 1, sources: sources, references: references,
                      translations: translations, seconds: 0.5, log: log)
}

struct EvaluationReportTests {
    /// The model table names each attention kind as `--attention` does, gives A only to
    /// the kinds that have it, and each kind's own settings.
    @Test func modelTableDescribesEachAttentionKind() {
        let report = EvaluationReport(evaluation("sdp", attention: .scaledDot),
                                      comparedWith: [evaluation("mh", attention: .multiHead),
                                                     evaluation("dot", attention: .dot)],
                                      testPrefix: "data/test")
        #expect(report.markdown.contains("| attention | scaled-dot | multi-head | dot |"))
        #expect(report.markdown.contains("| attention size A | 128 | 128 | – |"))
        #expect(report.markdown.contains("| attention kind's settings | – | 4 heads | – |"))
    }

    @Test func bucketsSourceLengthsInWords() {
        #expect(LengthBucket.standard.map(\.label) == ["1–5", "6–10", "11–15", "16–20", "21+"])
        #expect(LengthBucket.words("  Ich bin  müde. ") == 3)
        #expect(LengthBucket(6, 10).contains(6) && LengthBucket(6, 10).contains(10))
        #expect(!LengthBucket(6, 10).contains(11))
        #expect(LengthBucket(21, nil).contains(1000))
    }

    /// Each bucket's BLEU is the corpus BLEU of its own sentences; a bucket without
    /// sentences has none.
    @Test func scoresEachLengthBucketOnItsOwnSentences() throws {
        let buckets = [LengthBucket(1, 5), LengthBucket(6, 10), LengthBucket(30, 40)]
        let scores = Evaluation.scoresByLength(sources: sources, hypotheses: outputs, references: references,
                                               buckets: buckets, lowercase: false)
        // 2 and 4 words in the first bucket, 6, 8 and 10 in the second (10 wrong).
        #expect(scores.map(\.sentences) == [2, 3, 0])
        #expect(abs(try #require(scores[0].bleu) - 100) < 1e-9)
        let second = BLEU().corpusScore(hypotheses: Array(outputs[2...4]), references: Array(references[2...4]))
        #expect(scores[1].bleu == second.score)
        #expect(scores[2].bleu == nil)
    }

    @Test func markdownHoldsScoresTablesLinksAndExamples() {
        let e = evaluation("tiny")
        let report = EvaluationReport(e, testPrefix: "data/test")
        let markdown = report.markdown

        #expect(markdown.hasPrefix("# Evaluation of tiny\n"))
        #expect(markdown.contains(e.bleu.line))
        #expect(markdown.contains(e.chrF.line))
        #expect(e.bleu.line.hasPrefix("BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:"))
        #expect(markdown.contains("| parameters | 2,959,267 |"))
        #expect(markdown.contains("| 1–5 | 2 | 100.0 |"))
        let scores = String(format: "| tiny (additive attention) | best | 2,959,267 | %.1f | %.1f | 2,000 | 3 | 24.0 |",
                            e.bleu.score, e.chrF.score)
        #expect(markdown.contains(scores))
        for figure in EvaluationReport.Figure.allCases {
            #expect(markdown.contains("](\(figure.rawValue))"), "link to \(figure.rawValue)")
        }
        #expect(report.figures.map(\.file) == EvaluationReport.Figure.allCases.map(\.rawValue))
        for line in report.exampleLines {
            #expect(markdown.contains("- **Reference:** \(references[line])"))
        }
    }

    /// Text from the corpus cannot break the Markdown: table cells, emphasis and HTML stay text.
    @Test func escapesMarkdownInSentences() {
        #expect(EvaluationReport.escaped("a | b *c* <d> [e](f) _g_ #h `i` \\") ==
                "a \\| b \\*c\\* \\<d\\> \\[e\\](f) \\_g\\_ \\#h \\`i\\` \\\\")
        #expect(EvaluationReport.grouped(1234567) == "1,234,567")
        #expect(EvaluationReport.grouped(999) == "999")
    }

    /// Three sentences of about the median length (14 words here), always the same ones;
    /// five examples spread over the test set.
    @Test func choosesSentencesDeterministically() {
        let report = EvaluationReport(evaluation("tiny"), testPrefix: "data/test")
        let lengths = report.alignmentLines.map { LengthBucket.words(sources[$0]) }
        #expect(report.alignmentLines.count == 3)
        #expect(lengths.allSatisfy { abs($0 - 14) <= 2 })
        #expect(report.alignmentLines == EvaluationReport(evaluation("tiny"), testPrefix: "x").alignmentLines)
        #expect(report.exampleLines == [0, 2, 4, 7, 9])
    }

    @Test func jsonHoldsTheFigures() throws {
        let e = evaluation("tiny")
        let report = EvaluationReport(e, comparedWith: [evaluation("tiny-none", attention: .none)], testPrefix: "data/test")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["test"] as? String == "data/test")
        #expect(object["sentences"] as? Int == 12)
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models.map { $0["name"] as? String } == ["tiny", "tiny-none"])
        let bleu = try #require(models[0]["bleu"] as? [String: Any])
        #expect(bleu["line"] as? String == e.bleu.line)
        #expect(bleu["signature"] as? String == e.bleu.signature)
        #expect((models[0]["bleu_by_length"] as? [Any])?.count == 5)
        #expect(models[0]["sentences_per_second"] as? Double == 24)
        #expect(models[0]["parameters"] as? Int == 2_959_267)
        #expect(models[0]["best_valid_bleu"] as? Double == 11)
        let examples = try #require(object["examples"] as? [[String: Any]])
        #expect((examples[0]["outputs"] as? [String])?.count == 2)
    }

    /// Every figure is well-formed SVG; with a second model, each chart shows both.
    @Test func comparesTwoModelsInEveryFigure() throws {
        let report = EvaluationReport(evaluation("tiny"),
                                      comparedWith: [evaluation("tiny-none", attention: .none, log: log(bleu: [1, 4]))],
                                      testPrefix: "data/test")
        var texts: [String: [String]] = [:]
        for (file, svg) in report.figures {
            let elements = try #require(xmlElements(svg), "\(file) is not well-formed")
            #expect(elements.first?.name == "svg")
            texts[file] = elements.filter { $0.name == "text" }.map(\.text)
        }
        let byLength = try #require(texts["bleu-by-length.svg"])
        #expect(byLength.contains("tiny (additive attention)"))
        #expect(byLength.contains("tiny-none (no attention)"))
        #expect(byLength.contains("n = 2"))
        let training = try #require(texts["training.svg"])
        for legend in ["tiny training", "tiny validation", "tiny-none training", "tiny-none validation"] {
            #expect(training.contains(legend))
        }
        // The baseline has no alignments; the attention model's are drawn.
        let alignments = try #require(texts["alignments.svg"])
        #expect(alignments.contains { $0.hasSuffix("tiny (additive attention)") })
        #expect(!alignments.contains { $0.hasPrefix("No attention") })
        #expect(report.markdown.contains("| tiny-none (no attention) |"))
    }

    /// A baseline alone has no alignments: one note says so, in the figure and the text.
    @Test func aBaselineAloneGetsANoteForItsAlignments() throws {
        let report = EvaluationReport(evaluation("tiny-none", attention: .none), testPrefix: "data/test")
        let elements = try #require(xmlElements(report.alignmentFigure))
        #expect(elements.filter { $0.name == "text" }.map(\.text) == ["Alignments", AlignmentFigure.noAttention])
        #expect(report.markdown.contains("## Alignments\n\nNone: a model without attention"))
    }

    @Test func aModelWithoutLogStillGetsItsCurves() throws {
        let report = EvaluationReport(evaluation("tiny", log: []), testPrefix: "data/test")
        let training = try #require(xmlElements(report.trainingFigure))
        #expect(training.contains { $0.name == "text" && $0.text == "no data" })
        #expect(report.markdown.contains("| training steps (epochs) | no log.jsonl |"))
    }

    /// Axes end at a round value just above the data, in steps of 1, 2 or 5 × 10^k.
    @Test func chartTicksAreRound() {
        #expect(ChartFrame.roundTicks(upTo: 13.8) == [0, 5, 10, 15])
        #expect(ChartFrame.roundTicks(upTo: 5.1) == [0, 2, 4, 6])
        #expect(ChartFrame.roundTicks(upTo: 952) == [0, 200, 400, 600, 800, 1000])
        #expect(ChartFrame.tickLabels(ChartFrame.roundTicks(upTo: 0)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(ChartFrame.tickLabels([0, 0.5, 1]) == ["0.0", "0.5", "1.0"])
        #expect(ChartFrame.tickLabels([0, 200, 400]) == ["0", "200", "400"])
    }
}
