/// The alignment model of an attentional decoder, whatever its kind: additive, dot,
/// multi-head, location-aware, local (docs/DESIGN.md, "The attention kinds").
import Autodiff

/// An alignment model scores, at every decoder step t, how well the query q = s_{t-1}
/// matches each source position j, turns the energies e_tj into weights
/// α_t = softmax(e_t) over the real positions, and returns the context
/// c_t = Σ_j α_tj v_j. The kinds differ in how they score and in what they derive from
/// the encoder states; the decoder around them is the same.
///
/// Whatever depends on the encoder states alone (projected keys, projected values) is
/// derived once per sentence in `attending(to:mask:)`, never once per step. A kind that
/// looks at its own previous weights (location-aware attention) carries them from step to
/// step in `carry`; the others leave it nil.
public protocol AlignmentModel: Layer {
    /// What the decoder attends to: the encoder states h_j [B, n, 2H] and what this kind
    /// derives from them alone. `mask` [B·n] is false at padding positions.
    func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory

    /// The state carried into the first step (nil: none is carried).
    func initialCarry(_ memory: AttentionMemory) -> Tensor?

    /// One decoder step's attention, from the query s_{t-1} [B, D].
    func callAsFunction(query: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended
}

extension AlignmentModel {
    public func initialCarry(_ memory: AttentionMemory) -> Tensor? { nil }
}

/// The source side of attention, computed once per batch of sentences.
public struct AttentionMemory: RowSelectable {
    public let batchSize: Int
    /// n, the longest source in the batch.
    public let length: Int
    /// What the weights average, [B, n, V]: the encoder states h_j (V = 2H), or for
    /// multi-head attention their projection W_v h_j.
    public let values: Tensor
    /// What the kind scores the query against, [B·n, K], derived from h_j once; nil when
    /// the kind scores h_j itself (dot attention reads the values).
    public let keys: Tensor?
    /// [B·n], false at padding positions, which never receive weight.
    public let mask: [Bool]

    public init(values: Tensor, keys: Tensor?, mask: [Bool]) {
        precondition(values.shape.count == 3, "AttentionMemory: values must be [B, n, V], got \(values.shape)")
        self.batchSize = values.shape[0]
        self.length = values.shape[1]
        self.values = values
        self.keys = keys
        self.mask = mask
    }

    public func selecting(_ rows: [Int]) -> AttentionMemory {
        let n = length
        return AttentionMemory(
            values: values.selectingBatchRows(rows),
            keys: keys.map { $0.reshaped([batchSize, n, $0.columns]).selectingBatchRows(rows)
                                .reshaped([rows.count * n, $0.columns]) },
            mask: rows.flatMap { mask[($0 * n)..<(($0 + 1) * n)] })
    }
}

/// What one step of attention gives the decoder.
public struct Attended {
    /// c_t, [B, 2H].
    public let context: Tensor
    /// α_t, [B, n]; each row sums to 1 over the real positions, 0 on padding. For a
    /// multi-head kind, the mean of its heads.
    public let weights: Tensor
    /// Each head's weights [B, k, n], for kinds with several heads; nil otherwise.
    public let heads: Tensor?
    /// The state carried into the next step, for kinds that carry one.
    public let carry: Tensor?

    public init(context: Tensor, weights: Tensor, heads: Tensor? = nil, carry: Tensor? = nil) {
        self.context = context
        self.weights = weights
        self.heads = heads
        self.carry = carry
    }
}
