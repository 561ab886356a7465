/// A sample alignment viewer, shared by the tests and by `scripts/browser-test.sh`, which
/// opens it in Chromium: whole words, subword pieces, layers and heads, and text that
/// would break a careless page.
import Figures

enum ViewerSample {
    /// Rows that sum to 1 over the columns, with most of row i on column `peak[i]`.
    static func rows(_ peaks: [Int], columns: Int, seed: Int) -> [[Float]] {
        peaks.enumerated().map { i, peak in
            let raw = (0..<columns).map { j -> Float in
                j == peak ? 6 : 0.25 + Float((i * 7 + j * 3 + seed) % 5) / 8
            }
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
        }
    }

    static let house = AlignmentViewer.Sentence(
        sourceTokens: ["das", "Haus", "ist", "klein", "."] + ["</s>"],
        targetTokens: ["the", "house", "is", "small", "."] + ["</s>"],
        matrices: [.init(name: "attention", weights: rows([0, 1, 2, 3, 4, 5], columns: 6, seed: 0))])

    /// Subword pieces on both sides, and the mean with two layers of two heads each.
    static let hospital: AlignmentViewer.Sentence = {
        let source = ["Morgen", "muss", "ich", "ins", "Krank@@", "en@@", "haus", ".", "</s>"]
        let target = ["Tomorrow", "I", "have", "to", "go", "to", "the", "hospi@@", "tal", ".", "</s>"]
        let peaks = [0, 2, 1, 1, 3, 3, 3, 4, 6, 7, 8]
        var matrices = [AlignmentViewer.Matrix(name: "all heads (mean)", weights: rows(peaks, columns: source.count, seed: 1))]
        for layer in 1...2 {
            for head in 1...2 {
                let shifted = peaks.map { min($0 + (head - 1) * (layer - 1), source.count - 1) }
                matrices.append(.init(name: "layer \(layer), head \(head)",
                                      weights: rows(shifted, columns: source.count, seed: layer * 2 + head)))
            }
        }
        return AlignmentViewer.Sentence(sourceTokens: source, targetTokens: target, matrices: matrices)
    }()

    /// Tokens that end a script element, open an HTML comment, or hold quotes,
    /// backslashes, ampersands, a line separator and an emoji.
    static let hostile = AlignmentViewer.Sentence(
        sourceTokens: ["</script>", "<!--", "\"Zitat\"", "a\\b", "&amp;", "</s>"],
        targetTokens: ["</SCRIPT >", "<script>alert(1)</script>", "'quote'", "x\u{2028}y", "👋🏽", "</s>"],
        matrices: [.init(name: "attention", weights: rows([0, 1, 2, 3, 4, 5], columns: 6, seed: 3))])

    /// A sentence of a model without attention: listed, nothing drawn.
    static let baseline = AlignmentViewer.Sentence(
        sourceTokens: ["Guten", "Morgen", "</s>"], targetTokens: ["Good", "morning", "</s>"], matrices: [])

    /// What a report puts above the viewer: a table and an inline SVG figure.
    static let report = """
        <h2>Scores</h2>
        <table><tr><th>metric</th><th>score</th></tr><tr><td>BLEU</td><td>17.5</td></tr></table>
        <svg width="120" height="20" role="img" aria-label="a bar"><rect width="100" height="12" fill="#0072B2"/></svg>
        """

    static let viewer = AlignmentViewer(
        title: "Alignments of test sentences <1–4> & more", trustedHTML: report,
        sentences: [house, hospital, hostile, baseline])
}
