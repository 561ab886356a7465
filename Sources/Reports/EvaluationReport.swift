/// The evaluation report: its Markdown, its JSON and its figures, from one or two evaluations.
import Foundation
import Figures
import Translation

/// A report on a model's test-set translations, with a second model beside it if given:
/// scores with their sacreBLEU signatures, configuration and size, speed, BLEU by source
/// length (figure 2 of Bahdanau et al.), training curves, alignments (their figure 3) and
/// example translations.
public struct EvaluationReport: Sendable {
    /// The model reported on first, and the ones compared with it.
    public let evaluations: [Evaluation]
    /// The test corpus's path prefix, as given.
    public let testPrefix: String

    public init(_ main: Evaluation, comparedWith others: [Evaluation] = [], testPrefix: String) {
        precondition(others.allSatisfy { $0.sources == main.sources }, "every model must translate the same test set")
        self.evaluations = [main] + others
        self.testPrefix = testPrefix
    }

    var main: Evaluation { evaluations[0] }

    // MARK: Choices

    /// The figure files, named as the Markdown links to them.
    public enum Figure: String, CaseIterable, Sendable {
        case bleuByLength = "bleu-by-length.svg"
        case training = "training.svg"
        case alignments = "alignments.svg"
    }

    /// Test lines (0-based) whose alignments are drawn: three of medium length, so that
    /// the matrix is big enough to show reordering and small enough to read. They are the
    /// first, middle and last of the sentences within two words of the median length.
    public var alignmentLines: [Int] {
        let lengths = main.sources.map(LengthBucket.words)
        guard !lengths.isEmpty else { return [] }
        let median = lengths.sorted()[lengths.count / 2]
        let candidates = lengths.indices.filter { abs(lengths[$0] - median) <= 2 }
        guard candidates.count > 3 else { return candidates }
        return [candidates[0], candidates[candidates.count / 2], candidates[candidates.count - 1]]
    }

    /// Test lines (0-based) shown as examples: five spread evenly over the test set.
    public var exampleLines: [Int] {
        let count = main.sources.count
        return Array(Set((0..<min(5, count)).map { $0 * count / min(5, count) })).sorted()
    }

    // MARK: Figures

    /// Every figure's file name and SVG text.
    public var figures: [(file: String, svg: String)] {
        [(Figure.bleuByLength.rawValue, bleuByLengthFigure),
         (Figure.training.rawValue, trainingFigure),
         (Figure.alignments.rawValue, alignmentFigure)]
    }

    /// BLEU of each bucket of source lengths, one bar per model; the number of test
    /// sentences in the bucket under its label, since a bucket of three sentences says
    /// little.
    var bleuByLengthFigure: String {
        let buckets = main.bleuByLength
        let chart = BarChart(
            title: "BLEU by source sentence length",
            xLabel: "Source sentence length (words)", yLabel: "BLEU",
            categories: buckets.map { "\($0.bucket.label)\nn = \($0.sentences)" },
            series: evaluations.enumerated().map { i, e in
                (e.label, e.bleuByLength.map(\.bleu), ChartPalette.all[i % ChartPalette.all.count])
            },
            width: Self.barChartWidth(groups: buckets.count, series: evaluations.count), height: 340)
        return chart.svg
    }

    /// Wide enough for bars of at least 12 pixels and a bar's gap between groups, and no
    /// narrower than the 520 pixels of one or two models.
    static func barChartWidth(groups: Int, series: Int) -> Double {
        max(520, 110 + Double(groups * (series + 1)) * 12)
    }

    /// Loss per token (training dashed, validation solid) and validation BLEU over training
    /// steps, side by side, from each model's log.jsonl.
    var trainingFigure: String {
        var lossSeries: [ChartSeries] = [], bleuSeries: [ChartSeries] = []
        for (i, e) in evaluations.enumerated() {
            let color = ChartPalette.all[i % ChartPalette.all.count]
            let steps = e.log.map { Double($0.step) }
            lossSeries.append(ChartSeries(name: "\(e.name) training", points: Array(zip(steps, e.log.map(\.trainLoss))),
                                          color: color, dashed: true))
            lossSeries.append(ChartSeries(name: "\(e.name) validation", points: Array(zip(steps, e.log.map(\.validLoss))),
                                          color: color))
            bleuSeries.append(ChartSeries(name: e.label, points: Array(zip(steps, e.log.map(\.validBLEU))), color: color))
        }
        let panelWidth = 440.0, height = 340.0
        let loss = LineChart(title: "Loss per target token", xLabel: "Training step", yLabel: "Cross-entropy (nats)",
                             series: lossSeries, width: panelWidth, height: height)
        let bleu = LineChart(title: "Validation BLEU (greedy)", xLabel: "Training step", yLabel: "BLEU",
                             series: bleuSeries, width: panelWidth, height: height)
        let body = loss.body + "<g transform=\"translate(\(SVG.number(panelWidth)),0)\">\n\(bleu.body)</g>\n"
        return SVG.document(width: 2 * panelWidth, height: height, body: body)
    }

    /// The model whose alignments are drawn: the first that has attention.
    private var alignedModel: Evaluation? { evaluations.first { $0.config.model.attention != .none } }

    /// The alignments of `alignmentLines`; for baselines alone, one note that there are none.
    var alignmentFigure: String {
        guard let model = alignedModel else {
            return AlignmentFigure(caption: "Alignments", note: AlignmentFigure.noAttention).svg
        }
        return AlignmentFigure.svg(stacking: alignmentLines.map { line in
            AlignmentFigure(model.translations[line], caption: "Test line \(line + 1), \(model.label)")
        })
    }

    // MARK: Markdown

    /// The report as Markdown, linking to the figures by their file names.
    public var markdown: String {
        var out = "# Evaluation of \(Self.escaped(main.name))\n\n"
        out += "Test set `\(testPrefix)` (\(main.sources.count) sentence pairs), "
            + (main.beam == 1 ? "greedy search" : "beam search (beam \(main.beam), α = \(main.alpha))")
            + (Set(evaluations.map(\.weightsFile)).count == 1 ? ", weights `\(main.weightsFile)`.\n\n" : ", each model's weights as in the table.\n\n")
        out += scoresSection + modelSection + lengthSection + trainingSection + alignmentSection + examplesSection
        return out
    }

    private var scoresSection: String {
        var out = "## Scores\n\n"
        for e in evaluations {
            if evaluations.count > 1 { out += "\(Self.escaped(e.label)):\n\n" }
            out += "```text\n\(e.bleu.line)\n\(e.chrF.line)\n```\n\n"
        }
        out += "| model | weights | parameters | BLEU | chrF2 | training target tokens/s | epochs | sentences/s |\n"
            + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        for e in evaluations {
            let training = e.log.last
            out += "| \(Self.escaped(e.label)) | \(e.weightsFile.replacingOccurrences(of: ".safetensors", with: "")) | "
                + "\(Self.grouped(e.parameterCount)) | \(Self.fixed(e.bleu.score)) | \(Self.fixed(e.chrF.score)) | "
                + "\(training.map { Self.grouped(Int($0.tokensPerSecond.rounded())) } ?? "–") | "
                + "\(training.map { "\($0.epoch)" } ?? "–") | \(Self.fixed(e.sentencesPerSecond)) |\n"
        }
        return out + "\nTraining target tokens/s: forward, backward and update, as log.jsonl gives it at the last "
            + "validation. Speed: the wall-clock time of translating the whole test set (tokenizing, "
            + "search, detokenizing), not counting loading the model.\n\n"
    }

    /// What only this attention kind reads: multi-head's heads, local attention's
    /// window, location-aware attention's filters; "–" for the others.
    private static func kindSettings(_ model: ModelConfig) -> String {
        switch model.attention {
        case .multiHead: "\(model.attentionHeads) heads"
        case .local: "window ±\(model.attentionWindow)"
        case .location: "\(model.locationFilters) filters of width \(model.locationWidth)"
        default: "–"
        }
    }

    private var modelSection: String {
        // A size of the other architecture is shown as "–".
        func rnn(_ value: @escaping (ModelConfig) -> String) -> (Evaluation) -> String {
            { $0.config.model.architecture == .rnn ? value($0.config.model) : "–" }
        }
        func transformer(_ value: @escaping (ModelConfig) -> String) -> (Evaluation) -> String {
            { $0.config.model.architecture == .transformer ? value($0.config.model) : "–" }
        }
        var rows: [(String, (Evaluation) -> String)] = [
            ("architecture", { "\($0.config.model.architecture)" }),
            ("attention", rnn { $0.attention.rawValue }),
            ("embedding size E", rnn { "\($0.embeddingSize)" }),
            ("encoder hidden size H (per direction)", rnn { "\($0.encoderHiddenSize)" }),
            ("decoder hidden size D", rnn { "\($0.decoderHiddenSize)" }),
            ("attention size A", rnn { [.none, .dot, .general].contains($0.attention) ? "–" : "\($0.attentionSize)" }),
            ("attention kind's settings", rnn { Self.kindSettings($0) }),
            ("model size d, heads", transformer { "\($0.modelSize), \($0.heads)" }),
            ("encoder + decoder layers", transformer { "\($0.encoderLayers) + \($0.decoderLayers)" }),
            ("feed-forward size F", transformer { "\($0.feedForwardSize)" }),
            ("output tied to the target embedding", transformer { $0.tieOutput ? "yes" : "no" }),
            ("dropout", { "\($0.config.model.dropout)" }),
            ("vocabulary (German / English)", { "\($0.sourceVocabularySize) / \($0.targetVocabularySize)" }),
            ("parameters", { Self.grouped($0.parameterCount) }),
        ]
        rows.append(("training steps (epochs)", { e in
            e.log.last.map { "\($0.step) (\($0.epoch))" } ?? "no log.jsonl"
        }))
        rows.append(("best validation BLEU", { e in
            e.log.map(\.validBLEU).max().map { Self.fixed($0) } ?? "–"
        }))
        var out = "## Model\n\n| setting | " + evaluations.map { Self.escaped($0.name) }.joined(separator: " | ") + " |\n"
        out += "| --- |" + String(repeating: " ---: |", count: evaluations.count) + "\n"
        for (name, value) in rows {
            out += "| \(name) | " + evaluations.map(value).joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    private var lengthSection: String {
        var out = "## BLEU by source sentence length\n\n"
        out += "Source length counts words (whitespace-separated); each cell is the corpus BLEU of the "
            + "test sentences in the bucket.\n\n"
        out += "| source words | sentences | " + evaluations.map { Self.escaped($0.label) }.joined(separator: " | ") + " |\n"
        out += "| --- | ---: |" + String(repeating: " ---: |", count: evaluations.count) + "\n"
        for (b, bucket) in main.bleuByLength.enumerated() {
            let scores = evaluations.map { $0.bleuByLength[b].bleu.map { Self.fixed($0) } ?? "–" }
            out += "| \(bucket.bucket.label) | \(bucket.sentences) | " + scores.joined(separator: " | ") + " |\n"
        }
        return out + "\n![BLEU by source sentence length](\(Figure.bleuByLength.rawValue))\n\n"
    }

    private var trainingSection: String {
        "## Training\n\nLoss per target token and validation BLEU at each validation, from `log.jsonl`.\n\n"
            + "![Training and validation loss, validation BLEU](\(Figure.training.rawValue))\n\n"
    }

    private var alignmentSection: String {
        guard alignedModel != nil else {
            return "## Alignments\n\nNone: a model without attention has no alignment to draw.\n\n"
        }
        let lines = alignmentLines.map { "\($0 + 1)" }.joined(separator: ", ")
        return "## Alignments\n\nAttention weights `α_ij` of test lines \(lines) (sentences of about the median "
            + "length): source words across the top, output words down the side, black for 1 and white "
            + "for 0. Hover over a cell to read its weight.\n\n"
            + "![Alignments of three test sentences](\(Figure.alignments.rawValue))\n\n"
    }

    private var examplesSection: String {
        var out = "## Example translations\n"
        for line in exampleLines {
            out += "\n### Test line \(line + 1)\n\n"
            out += "- **Source:** \(Self.escaped(main.sources[line]))\n"
            out += "- **Reference:** \(Self.escaped(main.references[line]))\n"
            for e in evaluations {
                let name = evaluations.count > 1 ? e.label : "Output"
                out += "- **\(Self.escaped(name)):** \(Self.escaped(e.translations[line].text))\n"
            }
        }
        return out
    }

    /// Text that Markdown shows as written: every character that could start markup or
    /// end a table cell gets a backslash.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\`*_[]<>|#".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func fixed(_ x: Double) -> String { String(format: "%.1f", x) }

    /// 1234567 as "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    // MARK: JSON

    /// The report's figures in machine-readable form.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let document = ReportJSON(
            test: testPrefix, sentences: main.sources.count,
            figures: Dictionary(uniqueKeysWithValues: Figure.allCases.map { ("\($0)", $0.rawValue) }),
            models: evaluations.map(ModelJSON.init),
            examples: exampleLines.map { line in
                ExampleJSON(line: line + 1, source: main.sources[line], reference: main.references[line],
                            outputs: evaluations.map { $0.translations[line].text })
            })
        return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
}

// The shape of report.json.

private struct ReportJSON: Encodable {
    let test: String
    let sentences: Int
    let figures: [String: String]
    let models: [ModelJSON]
    let examples: [ExampleJSON]
}

private struct ScoreJSON: Encodable {
    let score: Double
    let signature: String
    let line: String
}

private struct ModelJSON: Encodable {
    let name: String, label: String, checkpoint: String, weights: String
    let config: Configuration
    let parameters: Int
    let beam: Int, alpha: Float
    let bleu: ScoreJSON, chrf: ScoreJSON
    let seconds: Double, sentencesPerSecond: Double
    let bleuByLength: [BucketScore]
    let trainingSteps: Int?
    let bestValidBLEU: Double?

    init(_ e: Evaluation) {
        (name, label, checkpoint, weights) = (e.name, e.label, e.checkpointFolder, e.weightsFile)
        (config, parameters, beam, alpha) = (e.config, e.parameterCount, e.beam, e.alpha)
        bleu = ScoreJSON(score: e.bleu.score, signature: e.bleu.signature, line: e.bleu.line)
        chrf = ScoreJSON(score: e.chrF.score, signature: e.chrF.signature, line: e.chrF.line)
        (seconds, sentencesPerSecond) = (e.seconds, e.sentencesPerSecond)
        bleuByLength = e.bleuByLength
        trainingSteps = e.log.last?.step
        bestValidBLEU = e.log.map(\.validBLEU).max()
    }

    enum CodingKeys: String, CodingKey {
        case name, label, checkpoint, weights, config, parameters, beam, alpha, bleu, chrf, seconds
        case sentencesPerSecond = "sentences_per_second", bleuByLength = "bleu_by_length"
        case trainingSteps = "training_steps", bestValidBLEU = "best_valid_bleu"
    }
}

private struct ExampleJSON: Encodable {
    let line: Int
    let source: String, reference: String
    let outputs: [String]
}
