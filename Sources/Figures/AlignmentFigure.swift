/// Pictures of where the model looked: alignment matrices drawn as in figure 3 of
/// Bahdanau et al. (2015), "Neural Machine Translation by Jointly Learning to Align and
/// Translate", as SVG.
import Foundation

/// The alignment matrix of one translation: source tokens across the top, output tokens
/// down the left side, and each cell shaded by the attention weight α_ij of output step i
/// on source position j, from white (0) to black (1). Hovering over a cell in a browser
/// shows its tokens and weight.
public struct AlignmentFigure: Sendable {
    /// Column labels: the source tokens, then `</s>`.
    public let sourceTokens: [String]
    /// Row labels: the output tokens, then `</s>` if the model produced it.
    public let targetTokens: [String]
    /// `weights[i][j]` = α_ij; one row per output token, one column per source token.
    public let weights: [[Float]]
    /// A line above the matrix saying which sentence this is.
    public let caption: String
    /// Said instead of drawing when there is nothing to draw.
    public let note: String?

    /// The figure of a matrix given directly.
    public init(sourceTokens: [String], targetTokens: [String], weights: [[Float]], caption: String) {
        precondition(weights.count == targetTokens.count, "one row of weights per output token")
        precondition(weights.allSatisfy { $0.count == sourceTokens.count }, "one weight per source token")
        self.sourceTokens = sourceTokens
        self.targetTokens = targetTokens
        self.weights = weights
        self.caption = caption
        self.note = weights.isEmpty || sourceTokens.isEmpty ? "Nothing to draw: the matrix is empty." : nil
    }

    /// A figure that says `note` instead of drawing the matrix (there may be none to draw).
    public init(sourceTokens: [String], targetTokens: [String], weights: [[Float]], caption: String, note: String) {
        self.sourceTokens = sourceTokens
        self.targetTokens = targetTokens
        self.weights = weights
        self.caption = caption
        self.note = note
    }

    /// A figure that is only a caption and a note.
    public init(caption: String, note: String) {
        (sourceTokens, targetTokens, weights) = ([], [], [])
        self.caption = caption
        self.note = note
    }

    /// What the figure of a model without attention says.
    public static let noAttention = "No attention: this model (the RNNencdec baseline) reads one fixed summary "
        + "of the source, so there is no alignment to draw."

    // MARK: Layout, in pixels

    static let cell = 22.0
    static let fontSize = 12.0
    static let captionSize = 13.0
    static let margin = 14.0
    static let labelGap = 5.0
    /// Source labels rise at this angle (degrees): steep enough for neighbours never to
    /// touch, shallow enough to read without turning one's head.
    static let labelAngle = 60.0
    static let legendWidth = 60.0

    private var angle: Double { Self.labelAngle * .pi / 180 }
    private var longestSourceLabel: Double {
        sourceTokens.map { SVG.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
    }
    private var longestTargetLabel: Double {
        targetTokens.map { SVG.textWidth($0, fontSize: Self.fontSize) }.max() ?? 0
    }
    private var captionHeight: Double { Self.captionSize + 10 }
    /// The matrix's top left corner.
    private var matrixLeft: Double { Self.margin + longestTargetLabel + Self.labelGap }
    private var matrixTop: Double {
        captionHeight + Self.margin + (longestSourceLabel + Self.labelGap) * sin(angle) + Self.fontSize
    }
    private var matrixWidth: Double { Double(sourceTokens.count) * Self.cell }
    private var matrixHeight: Double { Double(targetTokens.count) * Self.cell }

    /// The figure's width and height.
    var size: (width: Double, height: Double) {
        let captionWidth = 2 * Self.margin + SVG.textWidth(caption, fontSize: Self.captionSize)
        if let note {
            let width = max(captionWidth, 2 * Self.margin + SVG.textWidth(note, fontSize: Self.fontSize))
            return (width, captionHeight + Self.fontSize + 2 * Self.margin)
        }
        // The last source label leans right, past the matrix.
        let lastLabel = sourceTokens.last.map { SVG.textWidth($0, fontSize: Self.fontSize) } ?? 0
        let overhang = (lastLabel + Self.labelGap) * cos(angle) - Self.cell / 2
        let right = matrixLeft + matrixWidth + max(overhang, Self.legendWidth) + Self.margin
        return (max(right, captionWidth), matrixTop + matrixHeight + Self.margin)
    }

    // MARK: Drawing

    /// The figure as a standalone SVG document.
    public var svg: String {
        let (width, height) = size
        return SVG.document(width: width, height: height, body: Self.definitions + body)
    }

    /// Several figures one below the other in a single document, each with its caption:
    /// one file to open, and sentences compared by scrolling.
    public static func svg(stacking figures: [AlignmentFigure]) -> String {
        var body = ""
        var top = 0.0
        for figure in figures {
            body += "<g transform=\"translate(0,\(SVG.number(top)))\">\n\(figure.body)</g>\n"
            top += figure.size.height
        }
        let width = figures.map(\.size.width).max() ?? 2 * margin
        return SVG.document(width: width, height: max(top, 2 * margin), body: definitions + body)
    }

    /// The figure's elements, with its top left corner at the origin.
    public var body: String {
        var out = SVG.text(caption, x: Self.margin, y: Self.margin + Self.captionSize,
                           size: Self.captionSize, extra: "font-weight=\"bold\"")
        if let note {
            return out + SVG.text(note, x: Self.margin, y: captionHeight + Self.margin + Self.fontSize,
                                  size: Self.fontSize, extra: "fill=\"#444\"")
        }
        out += sourceLabels + targetLabels + cells + legend
        // A frame, so that a row of near-zero weights still shows where the matrix ends.
        out += "<rect x=\"\(SVG.number(matrixLeft))\" y=\"\(SVG.number(matrixTop))\" "
            + "width=\"\(SVG.number(matrixWidth))\" height=\"\(SVG.number(matrixHeight))\" "
            + "fill=\"none\" stroke=\"#999\" stroke-width=\"1\"/>\n"
        return out
    }

    /// Source tokens above their columns, rising to the right.
    private var sourceLabels: String {
        var out = ""
        for (j, token) in sourceTokens.enumerated() {
            let x = matrixLeft + (Double(j) + 0.5) * Self.cell
            let y = matrixTop - Self.labelGap
            // Shifted by a third of the font size across the text's direction, so that the
            // middle of the letters, not their baseline, points at the column.
            out += "<text transform=\"translate(\(SVG.number(x)),\(SVG.number(y))) rotate(-\(SVG.number(Self.labelAngle)))\" "
                + "x=\"0\" y=\"\(SVG.number(Self.fontSize / 3))\" font-size=\"\(SVG.number(Self.fontSize))\">"
                + "\(SVG.escaped(token))</text>\n"
        }
        return out
    }

    /// Output tokens left of their rows, right-aligned.
    private var targetLabels: String {
        targetTokens.enumerated().map { i, token in
            SVG.text(token, x: matrixLeft - Self.labelGap,
                     y: matrixTop + (Double(i) + 0.5) * Self.cell + Self.fontSize / 3,
                     size: Self.fontSize, anchor: "end")
        }.joined()
    }

    /// One square per weight, with a `<title>` that browsers show on hover.
    private var cells: String {
        var out = ""
        for (i, row) in weights.enumerated() {
            for (j, weight) in row.enumerated() {
                let x = matrixLeft + Double(j) * Self.cell, y = matrixTop + Double(i) * Self.cell
                let title = "\(sourceTokens[j]) → \(targetTokens[i]): " + String(format: "%.2f", weight)
                out += "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(Self.cell))\" "
                    + "height=\"\(SVG.number(Self.cell))\" fill=\"\(Self.gray(weight))\">"
                    + "<title>\(SVG.escaped(title))</title></rect>\n"
            }
        }
        return out
    }

    /// The shading scale, defined once per document and used by every legend in it.
    static let definitions = """
        <defs><linearGradient id="alignment-scale" x1="0" y1="1" x2="0" y2="0">\
        <stop offset="0" stop-color="white"/><stop offset="1" stop-color="black"/>\
        </linearGradient></defs>

        """

    /// A scale from 0 to 1 beside the matrix, so that the shades can be read.
    private var legend: String {
        let x = matrixLeft + matrixWidth + 16, height = min(matrixHeight, 100.0), width = 10.0
        return "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(matrixTop))\" width=\"\(SVG.number(width))\" "
            + "height=\"\(SVG.number(height))\" fill=\"url(#alignment-scale)\" stroke=\"#999\"/>\n"
            + SVG.text("1", x: x + width + 4, y: matrixTop + Self.fontSize * 0.8, size: Self.fontSize - 1)
            + SVG.text("0", x: x + width + 4, y: matrixTop + height, size: Self.fontSize - 1)
    }

    /// White for 0, black for 1, linearly in between; weights outside [0, 1] are clamped.
    static func gray(_ weight: Float) -> String {
        let level = Int((255 * (1 - min(max(Double(weight), 0), 1))).rounded())
        let hex = String(level, radix: 16)
        let byte = hex.count == 1 ? "0" + hex : hex
        return "#" + byte + byte + byte
    }
}
