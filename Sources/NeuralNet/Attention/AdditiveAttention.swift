/// Bahdanau's additive attention, the alignment model of "Neural Machine Translation by
/// Jointly Learning to Align and Translate" (Bahdanau, Cho and Bengio, 2015, §3.1 and
/// appendix A.1.2).
import Autodiff

/// The alignment model is a one-hidden-layer MLP that scores how well the decoder state
/// s_{t-1} (the query) matches each encoder state h_j (the keys):
///
///     e_tj = v_a · tanh(W_a s_{t-1} + U_a h_j + b_a)      energy
///     α_t  = softmax(e_t)  over the real (non-padding) positions     alignment
///     c_t  = Σ_j α_tj h_j                                   context
///
/// `U_a h_j + b_a` does not depend on t, so it is computed once per sentence
/// (`attending(to:mask:)`) and reused at every decoder step.
public struct AdditiveAttention: AlignmentModel {
    /// W_a: [A, D], no bias.
    public let query: Linear
    /// U_a and b_a: [A, 2H] and [A].
    public let key: Linear
    /// v_a: [1, A].
    public let energy: Linear

    public init(querySize: Int, keySize: Int, attentionSize: Int, generator: inout SeededGenerator) {
        query = Linear(inputSize: querySize, outputSize: attentionSize, bias: false, generator: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, generator: &generator)
        energy = Linear(inputSize: attentionSize, outputSize: 1, bias: false, generator: &generator)
    }

    /// The keys `U_a h_j + b_a` of all encoder states h_j [B, n, 2H] at once: [B·n, A].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        let keys = key(states).reshaped([states.shape[0] * states.shape[1], key.weight.shape[0]])
        return AttentionMemory(values: states, keys: keys, mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H] and the alignment weights α_t [B, n].
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let (batch, length, size) = (memory.batchSize, memory.length, memory.values.shape[2])
        let energies = Tensor.additiveEnergies(memory.keys!, repeatedRows: query(s), weights: energy.weight)
            .reshaped([batch, length])                                                  // [B, n]
        let weights = energies.maskedSoftmax(mask: memory.mask)                         // [B, n]
        let context = Tensor.batchedMatmul(weights.reshaped([batch, 1, length]), memory.values)  // [B, 1, 2H]
        return Attended(context: context.reshaped([batch, size]), weights: weights)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        query.namedParameters(prefix: "query") + key.namedParameters(prefix: "key")
            + energy.namedParameters(prefix: "energy")
    }
}
