/// Luong's general attention, a bilinear alignment model of "Effective Approaches to
/// Attention-based Neural Machine Translation" (Luong, Pham and Manning, 2015, §3.1).
import Autodiff

/// The query scores each encoder state through one matrix W_a, which also lets D and 2H
/// differ:
///
///     e_tj = s_{t-1} · (W_a h_j)                 energy
///     α_t  = softmax(e_t) over the real positions      alignment
///     c_t  = Σ_j α_tj h_j                          context
///
/// W_a h_j does not depend on t: the keys are computed once per sentence.
public struct GeneralAttention: AlignmentModel {
    /// W_a: [D, 2H], no bias.
    public let key: Linear

    public init(querySize: Int, keySize: Int, generator: inout SeededGenerator) {
        key = Linear(inputSize: keySize, outputSize: querySize, bias: false, generator: &generator)
    }

    /// The keys W_a h_j of all encoder states h_j [B, n, 2H] at once: [B·n, D].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        let keys = key(states).reshaped([states.shape[0] * states.shape[1], key.weight.shape[0]])
        return AttentionMemory(values: states, keys: keys, mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H] and the alignment weights α_t [B, n].
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let energies = memory.dotEnergies(query: s, keys: memory.keys!)                // [B, n]
        let weights = energies.maskedSoftmax(mask: memory.mask)                        // [B, n]
        return Attended(context: memory.context(weights: weights), weights: weights)   // [B, 2H]
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { key.namedParameters(prefix: "key") }
}
