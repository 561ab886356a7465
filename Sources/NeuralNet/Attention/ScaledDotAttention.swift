/// Scaled dot-product attention, the scoring of "Attention Is All You Need" (Vaswani et
/// al. 2017, §3.2.1), as one alignment model of the RNN decoder.
import Autodiff

/// Query and keys are projected into a common space of A features, and the product is
/// scaled by 1/√A so that its spread does not grow with A (which would push the softmax
/// into regions of vanishing gradient):
///
///     e_tj = (W_q s_{t-1}) · (W_k h_j) / √A      energy
///     α_t  = softmax(e_t) over the real positions      alignment
///     c_t  = Σ_j α_tj h_j                          context
///
/// W_k h_j does not depend on t: the keys are computed once per sentence.
public struct ScaledDotAttention: AlignmentModel {
    /// W_q: [A, D], no bias.
    public let query: Linear
    /// W_k: [A, 2H], no bias.
    public let key: Linear

    public init(querySize: Int, keySize: Int, attentionSize: Int, generator: inout SeededGenerator) {
        query = Linear(inputSize: querySize, outputSize: attentionSize, bias: false, generator: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, bias: false, generator: &generator)
    }

    /// The keys W_k h_j of all encoder states h_j [B, n, 2H] at once: [B·n, A].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        let keys = key(states).reshaped([states.shape[0] * states.shape[1], key.weight.shape[0]])
        return AttentionMemory(values: states, keys: keys, mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H] and the alignment weights α_t [B, n]. The 1/√A is applied inside the
    /// softmax's own pass.
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let (batch, length) = (memory.batchSize, memory.length)
        let energies = memory.dotEnergies(query: query(s), keys: memory.keys!)          // [B, n]
        let scale = 1 / Float(query.weight.shape[0]).squareRoot()
        let weights = energies.reshaped([batch, 1, length])
            .maskedSoftmax(keyMask: memory.mask, scale: scale).reshaped([batch, length])  // [B, n]
        return Attended(context: memory.context(weights: weights), weights: weights)     // [B, 2H]
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        query.namedParameters(prefix: "query") + key.namedParameters(prefix: "key")
    }
}
