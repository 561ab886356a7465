/// Luong's dot attention, the simplest "global" alignment model of "Effective Approaches
/// to Attention-based Neural Machine Translation" (Luong, Pham and Manning, 2015, §3.1).
import Autodiff

/// The query scores each encoder state directly, with no parameters at all:
///
///     e_tj = s_{t-1} · h_j                       energy
///     α_t  = softmax(e_t) over the real positions      alignment
///     c_t  = Σ_j α_tj h_j                          context
///
/// The product needs the query and the keys to be equally wide, D = 2H; the
/// configuration refuses any other sizes before a model is built.
public struct DotAttention: AlignmentModel {
    public init(querySize: Int, keySize: Int) {
        precondition(querySize == keySize, "DotAttention: the query (\(querySize)) and the keys (\(keySize)) differ in size")
    }

    /// The keys are the encoder states themselves, [B, n, 2H]: nothing to derive.
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        AttentionMemory(values: states, keys: nil, mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H] and the alignment weights α_t [B, n].
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let energies = memory.dotEnergies(query: s, keys: memory.values)               // [B, n]
        let weights = energies.maskedSoftmax(mask: memory.mask)                        // [B, n]
        return Attended(context: memory.context(weights: weights), weights: weights)   // [B, 2H]
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}
