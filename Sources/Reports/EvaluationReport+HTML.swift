/// The report as one self-contained page: its scores and figures, and every test
/// sentence's alignment in the interactive viewer.
import Figures
import Foundation
import Translation

extension EvaluationReport {
    public static let htmlFile = "report.html"

    /// report.html: the scores of every model, the BLEU-by-length and training figures
    /// inline, and the first model's alignment of every test sentence in the viewer. It
    /// loads nothing: open it from disk.
    public var html: String {
        let viewer = AlignmentViewer(
            title: "Evaluation of \(main.name)",
            trustedHTML: scoresTable + inline(bleuByLengthFigure) + inline(trainingFigure),
            sentences: main.translations.map(AlignmentViewer.Sentence.init))
        return viewer.html(.standalone)
    }

    /// The scores with their sacreBLEU signatures, one row per model.
    private var scoresTable: String {
        let search = main.beam == 1 ? "greedy search" : "beam search (beam \(main.beam), α = \(main.alpha))"
        var out = "<p>Test set <code>\(SVG.escaped(testPrefix))</code>, \(main.sources.count) sentence pairs, "
            + "\(search), weights <code>\(SVG.escaped(main.weightsFile))</code>.</p>\n"
        out += "<table class=\"report-table\"><thead><tr><th>model</th><th>parameters</th><th>BLEU</th><th>chrF2</th>"
            + "<th>sentences/s</th></tr></thead><tbody>\n"
        for e in evaluations {
            out += "<tr><td>\(SVG.escaped(e.label))</td><td>\(e.parameterCount)</td>"
                + "<td>\(Self.fixed(e.bleu.score))</td><td>\(Self.fixed(e.chrF.score))</td>"
                + "<td>\(Self.fixed(e.sentencesPerSecond))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        for e in evaluations {
            out += "<pre style=\"white-space: pre-wrap\">\(SVG.escaped(e.bleu.line))\n\(SVG.escaped(e.chrF.line))</pre>\n"
        }
        return out
    }

    /// An SVG document as an element of the page, without its XML declaration.
    private func inline(_ svg: String) -> String {
        let body = svg.hasPrefix("<?xml") ? String(svg[(svg.firstIndex(of: "\n") ?? svg.startIndex)...]) : svg
        return "<figure class=\"report-figure\">\(body)</figure>\n"
    }
}
