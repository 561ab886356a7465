/// The alignment figure of a translation: what the model produced, drawn as Figures draws
/// any matrix.
import Figures
import Translation

extension AlignmentFigure {
    /// The figure of a translation. A model without attention (the RNNencdec baseline)
    /// leaves `alignment` empty; its figure says so instead of drawing a matrix.
    public init(_ translation: Translation, caption: String) {
        let (source, target) = (translation.alignedSourceTokens, translation.alignedTargetTokens)
        if translation.sourceTokens.isEmpty {
            self.init(sourceTokens: source, targetTokens: target, weights: translation.alignment,
                      caption: caption, note: "An empty line: nothing was translated.")
        } else if translation.alignment.isEmpty {
            self.init(sourceTokens: source, targetTokens: target, weights: [], caption: caption,
                      note: Self.noAttention)
        } else {
            self.init(sourceTokens: source, targetTokens: target, weights: translation.alignment, caption: caption)
        }
    }

    /// One figure per head of a translation by a model with several heads (multi-head
    /// attention, every layer of a Transformer), captioned "`caption`, head i" (or
    /// "layer l, head i") from 1; none for a model with one.
    public static func heads(of translation: Translation, caption: String) -> [AlignmentFigure] {
        let (source, target) = (translation.alignedSourceTokens, translation.alignedTargetTokens)
        return translation.headAlignments.map { head in
            AlignmentFigure(sourceTokens: source, targetTokens: target, weights: head.weights,
                            caption: "\(caption), \(head.name)")
        }
    }
}
