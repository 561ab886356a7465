/// A translation as the viewer and the aligners' formats see it: plain tokens and weights.
import Figures
import Scoring
import Translation

extension AlignmentViewer.Sentence {
    /// The viewer's sentence of a translation: its tokens, `</s>` included where the
    /// alignment has a row or column for it, and its attention (none for a model without
    /// attention, which the page says): the alignment, then each head's for a model with
    /// several.
    public init(_ translation: Translation) {
        let hasAttention = !translation.alignment.isEmpty
        let heads = translation.headAlignments
        let mean = AlignmentViewer.Matrix(name: heads.isEmpty ? "attention" : translation.headLayers > 1 ? "last layer, all heads (mean)" : "all heads (mean)",
                                          weights: translation.alignment)
        self.init(sourceTokens: hasAttention ? translation.alignedSourceTokens : translation.sourceTokens,
                  targetTokens: translation.alignedTargetTokens,
                  matrices: hasAttention ? [mean] + heads.map { AlignmentViewer.Matrix(name: $0.name, weights: $0.weights) } : [])
    }
}

extension Translation {
    /// The attention over whole words (subwords joined, `</s>` left out; see
    /// `SoftAlignment`), or nil for a model without attention.
    public var wordAlignment: SoftAlignment? {
        alignment.isEmpty ? nil : SoftAlignment(attention: alignment, sourcePieces: sourceTokens, targetPieces: tokens)
    }
}
