/// What a search produces, and how long it may let a translation grow.

/// A translation produced by a search, with what the model looked at to produce it.
public struct Hypothesis: Sendable {
    /// Target ids, without `<s>` and `</s>`.
    public var tokens: [Int]
    /// For every output step (each token, then `</s>` if it was reached), the attention
    /// weights over the source positions (its tokens and `</s>`). Empty for the baseline.
    public var alignment: [[Float]]
    /// For every output step, each head's weights over the source positions, layer after
    /// layer ([layer · k + head][source]), for a model with several heads or layers (from
    /// `DecoderStep.layers`); empty otherwise.
    public var heads: [[[Float]]] = []
    /// How many layers `heads` holds (1 for the RNN's multi-head attention).
    public var headLayers = 0
    /// The sum of the log-probabilities of the chosen words, `</s>` included.
    public var logProbability: Float
    /// The other translations a beam search kept, best first by its length-normalised
    /// score (each without alternatives of its own); empty for greedy search.
    public var alternatives: [Hypothesis] = []
}

/// How long a translation may grow: a multiple of the source length plus a constant, so
/// that a model that never says `</s>` still stops.
public struct LengthLimit: Sendable {
    public var ratio: Float = 2
    public var extra = 10

    public init(ratio: Float = 2, extra: Int = 10) {
        self.ratio = ratio
        self.extra = extra
    }

    /// The largest number of tokens (excluding `</s>`) for a source of `length` tokens.
    public func maxTokens(sourceLength length: Int) -> Int { Int(ratio * Float(length)) + extra }
}
