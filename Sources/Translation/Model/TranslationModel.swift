/// The one view of a model that search, training, scoring, checkpoints and the report have
/// (docs/DESIGN.md, "One protocol for every model").
import Autodiff
import NeuralNet

/// An encoder–decoder translation model, seen from outside: encode a batch of sources
/// into a memory, start a decoder state, take one decoder step at a time, score a batch
/// under teacher forcing, and name its parameters.
///
/// Nothing outside a model's own files knows what its memory or state hold: a search
/// only passes them back to the model, and repeats, reorders and drops their rows with
/// `selecting`. So the RNN and any other architecture share greedy search, beam search,
/// the trainer, scoring and checkpoints.
public protocol TranslationModel: Layer {
    /// What the decoder reads of the source, computed once per batch.
    associatedtype Memory: RowSelectable
    /// What the decoder carries from one step to the next.
    associatedtype State: RowSelectable

    /// A short name of the kind of model, as messages say it (`additive`, `none`).
    var kind: String { get }

    /// The multiply–adds of a training step per padded source position, padded target
    /// position and real target token, counted as the weights each goes through: what a
    /// batch's shares balance between cores and processes.
    var workPerPosition: WorkPerPosition { get }

    /// Encodes time-major source ids [n, B] (tokens then `</s>`, padded) of the given
    /// lengths. Dropout applies when a generator is given.
    func encode(source: [Int], lengths: [Int], dropout: inout SeededGenerator?) -> Memory

    /// The decoder state before the first step.
    func initialState(_ memory: Memory) -> State

    /// One decoder step, without dropout: from the previous word of each row (`<s>` at
    /// first) to the logits of the next, the new state, and what the step attended to.
    func decode(previous words: [Int], state: State, memory: Memory) -> DecoderStep<State>

    /// The negative log-likelihood of every real target token of `batch` under teacher
    /// forcing, and where each token is: its row t·B + b in the time-major batch. Dropout
    /// applies when a generator is given; `smoothing` is the label smoothing ε.
    func tokenLosses(_ batch: Batch, dropout: inout SeededGenerator?, smoothing: Float) -> (losses: Tensor, rows: [Int])

    /// `scale` times the sum of `tokenLosses`' losses, a scalar: the training loss, with
    /// `scale` one over the number of tokens it is averaged over. A model may compute it
    /// without holding the logits of every token at once (`Tensor.linearCrossEntropy`);
    /// by default it is the sum of `tokenLosses`.
    func scaledLoss(_ batch: Batch, dropout: inout SeededGenerator?, smoothing: Float, scale: Float) -> Tensor

    /// The model as searches use it: the same weights, with whatever copies of them make
    /// decoding faster, for the same results to the bit. A translator decodes with it; it
    /// is never trained. By default, the model itself.
    func forDecoding() -> Self

    /// The model for one training step's forward and backward pass: the same weights,
    /// with whatever copies of them make that pass faster (an RNN's packed LSTM weights),
    /// made from the weights as they are now, so good only until the update changes
    /// them. With `other`, the model made for the same step from the weights these lend
    /// (a replica's, `ModelReplicas`), its copies are shared instead of made again. The
    /// loss functions make such a model themselves when given one without. By default,
    /// the model itself.
    func forTrainingStep(sharingCopiesOf other: Self?) -> Self
}

extension TranslationModel {
    public func forDecoding() -> Self { self }
    public func forTrainingStep(sharingCopiesOf other: Self?) -> Self { self }

    /// `forTrainingStep(sharingCopiesOf:)` for a model seen as `any TranslationModel`.
    func forTrainingStep(sharing other: (any TranslationModel)?) -> any TranslationModel {
        forTrainingStep(sharingCopiesOf: other as? Self)
    }
}

/// What one decoder step gives a search.
public struct DecoderStep<State> {
    /// [B, Vt], before the softmax.
    public let logits: Tensor
    public let state: State
    /// What each row's step attended to over the source positions, [B, n], rows summing to
    /// 1 (for several heads, their mean; for local attention, at most 1, and 0 outside its
    /// window); nil for a model without attention.
    public let alignment: Tensor?
    /// Every attention layer's heads over the source, each [B, heads, n], for models that
    /// have more than one head or layer; empty otherwise.
    public let layers: [Tensor]

    public init(logits: Tensor, state: State, alignment: Tensor?, layers: [Tensor] = []) {
        self.logits = logits
        self.state = state
        self.alignment = alignment
        self.layers = layers
    }
}

extension TranslationModel {
    /// The training loss: mean negative log-likelihood per real target token (against
    /// label-smoothed targets when `smoothing` > 0).
    public func loss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float = 0) -> Tensor {
        scaledLoss(batch, dropout: &generator, smoothing: smoothing, scale: 1 / Float(batch.targetTokens))
    }

    public func scaledLoss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float,
                           scale: Float) -> Tensor {
        scale * tokenLosses(batch, dropout: &generator, smoothing: smoothing).losses.sum()
    }

    /// Each sentence's negative log-likelihood, summed over its target tokens and `</s>`,
    /// in the batch's order. Without dropout.
    public func sentenceLosses(_ batch: Batch) -> [Float] {
        var noDropout: SeededGenerator? = nil
        let (losses, rows) = tokenLosses(batch, dropout: &noDropout, smoothing: 0)
        var sums = [Float](repeating: 0, count: batch.batchSize)
        for (loss, row) in zip(losses.data, rows) { sums[row % batch.batchSize] += loss }
        return sums
    }
}
