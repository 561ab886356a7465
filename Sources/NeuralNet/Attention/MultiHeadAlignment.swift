/// Multi-head attention as the RNN decoder's alignment model, after "Attention Is All
/// You Need" (Vaswani et al. 2017, §3.2.2): k heads of scaled dot-product attention,
/// each over its own slice of the projections.
import Autodiff

/// With dh = A/k features per head and (x)_i the i-th slice of dh features of x:
///
///     α^i_t = softmax_j((W_q s_{t-1})_i · (W_k h_j)_i / √dh)       head i's alignment
///     c_t   = W_c [Σ_j α^1_tj (W_v h_j)_1 ; … ; Σ_j α^k_tj (W_v h_j)_k]   context, 2H wide
///     α_t   = (1/k) Σ_i α^i_t                                     the alignment shown
///
/// W_k h_j and W_v h_j do not depend on t: both are computed once per sentence and kept
/// split into heads, [B, k, n, dh], so that a step is two batched products over every
/// sentence and head. Unlike the Transformer's `MultiHeadAttention`, the projections have
/// no biases and query, key and value come from different spaces (D and 2H), so they are
/// separate matrices.
public struct MultiHeadAlignment: AlignmentModel {
    public let heads: Int
    /// W_q: [A, D], no bias.
    public let query: Linear
    /// W_k: [A, 2H], no bias.
    public let key: Linear
    /// W_v: [A, 2H], no bias.
    public let value: Linear
    /// W_c: [2H, A], no bias.
    public let output: Linear

    public init(querySize: Int, keySize: Int, attentionSize: Int, heads: Int, generator: inout SeededGenerator) {
        precondition(attentionSize % heads == 0, "MultiHeadAlignment: \(heads) heads do not divide A = \(attentionSize)")
        self.heads = heads
        query = Linear(inputSize: querySize, outputSize: attentionSize, bias: false, generator: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, bias: false, generator: &generator)
        value = Linear(inputSize: keySize, outputSize: attentionSize, bias: false, generator: &generator)
        output = Linear(inputSize: attentionSize, outputSize: keySize, bias: false, generator: &generator)
    }

    /// dh = A/k.
    public var headSize: Int { query.weight.shape[0] / heads }

    /// The keys W_k h_j and values W_v h_j of all encoder states h_j [B, n, 2H], each
    /// split into heads: [B, k, n, dh].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        AttentionMemory(values: value(states).splittingHeads(heads), keys: key(states).splittingHeads(heads), mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H], the mean alignment α_t [B, n] and every head's α^i_t, [B, k, n].
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let (batch, length) = (memory.batchSize, memory.length)
        let queries = query(s).reshaped([batch, 1, heads * headSize]).splittingHeads(heads)  // [B, k, 1, dh]
        let energies = Tensor.batchedMatmul(queries, memory.keys!, transposeB: true)          // [B, k, 1, n]
        let weights = energies.maskedSoftmax(keyMask: memory.mask,
                                             scale: 1 / Float(headSize).squareRoot())        // [B, k, 1, n]
        let contexts = Tensor.batchedMatmul(weights, memory.values).mergingHeads()           // [B, 1, A]
        let context = output(contexts.reshaped([batch, heads * headSize]))                   // [B, 2H]
        let perHead = weights.reshaped([batch, heads, length])                               // [B, k, n]
        return Attended(context: context, weights: perHead.mean(axis: 1), heads: perHead)   // α_t [B, n]
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        query.namedParameters(prefix: "query") + key.namedParameters(prefix: "key")
            + value.namedParameters(prefix: "value") + output.namedParameters(prefix: "output")
    }
}
