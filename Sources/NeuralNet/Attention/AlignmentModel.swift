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
    /// multi-head attention their projection W_v h_j split into heads, [B, k, n, A/k].
    public let values: Tensor
    /// What the kind scores the query against, derived from h_j once: [B·n, K], or
    /// [B, k, n, A/k] split into heads; nil when the kind scores h_j itself (dot
    /// attention reads the values).
    public let keys: Tensor?
    /// [B·n], false at padding positions, which never receive weight.
    public let mask: [Bool]

    public init(values: Tensor, keys: Tensor?, mask: [Bool]) {
        precondition(values.shape.count == 3 || values.shape.count == 4,
                     "AttentionMemory: values must be [B, n, V] or [B, k, n, dh], got \(values.shape)")
        self.batchSize = values.shape[0]
        self.length = values.shape[values.shape.count - 2]
        precondition(mask.count == batchSize * length, "AttentionMemory: \(mask.count) mask entries for \(values.shape)")
        self.values = values
        self.keys = keys
        self.mask = mask
    }

    /// Each tensor holds one contiguous block per sentence, whatever its shape, so a
    /// sentence's rows are picked as one block: [B·n, K] and [B, k, n, dh] alike.
    public func selecting(_ rows: [Int]) -> AttentionMemory {
        let (n, b) = (length, batchSize)
        return AttentionMemory(
            values: values.selectingBatchRows(rows),
            keys: keys.map { keys in
                keys.reshaped([b, keys.count / b]).selectingBatchRows(rows)
                    .reshaped([keys.shape[0] / b * rows.count] + keys.shape.dropFirst())
            },
            mask: rows.flatMap { mask[($0 * n)..<(($0 + 1) * n)] })
    }

    /// The number of real source positions of each sentence (S_x), from the mask: [B].
    public var sourceLengths: [Int] {
        (0..<batchSize).map { b in mask[(b * length)..<((b + 1) * length)].filter { $0 }.count }
    }
}

/// What one step of attention gives the decoder.
public struct Attended {
    /// c_t, [B, 2H].
    public let context: Tensor
    /// α_t, [B, n]; each row sums to 1 over the real positions, 0 on padding. For a
    /// multi-head kind, the mean of its heads; for local attention, 0 outside the window
    /// and, weighted by the Gaussian there, summing to less than 1.
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

/// The two products the dot-product kinds share.
extension AttentionMemory {
    /// e_tj = q_t · k_j for each sentence's query q [B, K] and its keys k_j, given as
    /// [B·n, K] (or [B, n, K]): one batched product, [B, 1, K] × [B, n, K]ᵀ. Returns [B, n].
    public func dotEnergies(query q: Tensor, keys k: Tensor) -> Tensor {
        let size = q.columns
        let energies = Tensor.batchedMatmul(q.reshaped([batchSize, 1, size]),
                                            k.reshaped([batchSize, length, size]), transposeB: true)  // [B, 1, n]
        return energies.reshaped([batchSize, length])
    }

    /// c_t = Σ_j α_tj v_j for weights α_t [B, n] over values [B, n, V]. Returns [B, V].
    public func context(weights: Tensor) -> Tensor {
        let context = Tensor.batchedMatmul(weights.reshaped([batchSize, 1, length]), values)  // [B, 1, V]
        return context.reshaped([batchSize, values.columns])
    }
}
