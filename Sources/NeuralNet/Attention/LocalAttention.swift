/// Local attention with predicted position (local-p), from "Effective Approaches to
/// Attention-based Neural Machine Translation" (Luong, Pham and Manning, 2015, §3.2).
import Autodiff

/// At each step the decoder predicts where in the source to look, p_t, and attends only
/// to a window of 2W + 1 positions around it, favouring those nearest p_t:
///
///     p_t  = S_x · σ(v_p · tanh(W_p s_{t-1}))                      centre, in (0, S_x)
///     e_tj = s_{t-1} · (W_a h_j)                                   energy (general)
///     α_tj = softmax_{j ∈ window}(e_tj) · exp(−(j − p_t)² / (2σ²)),  σ = W/2
///     c_t  = Σ_j α_tj h_j                                          context
///
/// S_x is the sentence's number of real source positions (its tokens and `</s>`, counted
/// from the mask), positions j count from 0, and the window is the real positions with
/// |j − p_t| ≤ W; α_tj = 0 everywhere else, so padding never receives weight.
///
/// At the edges the window is simply cut to the sentence: near its start or end it holds
/// fewer than 2W + 1 positions, and the softmax is taken over those alone. It is never
/// empty, since p_t lies in [0, S_x] and so within 1 ≤ W of a real position. With σ = W/2
/// the Gaussian falls to e⁻² ≈ 0.14 at the window's edge, beyond which the weight drops
/// to 0. As in the paper the weights are not normalised again after the Gaussian, so a row
/// sums to less than 1. p_t learns through the Gaussian alone: which positions are in the
/// window is a step function of p_t, with no gradient.
///
/// The weights are exactly 0 outside the window, so an alignment figure shows the window
/// as the band of non-zero weights.
public struct LocalAttention: AlignmentModel {
    /// W, the window's half-width.
    public let window: Int
    /// W_a: [D, 2H], no bias.
    public let key: Linear
    /// W_p: [A, D], no bias.
    public let position: Linear
    /// v_p: [1, A].
    public let positionEnergy: Linear

    public init(querySize: Int, keySize: Int, attentionSize: Int, window: Int, generator: inout SeededGenerator) {
        precondition(window >= 1, "LocalAttention: the window's half-width \(window) must be at least 1")
        self.window = window
        key = Linear(inputSize: keySize, outputSize: querySize, bias: false, generator: &generator)
        position = Linear(inputSize: querySize, outputSize: attentionSize, bias: false, generator: &generator)
        positionEnergy = Linear(inputSize: attentionSize, outputSize: 1, bias: false, generator: &generator)
    }

    /// The keys W_a h_j of all encoder states h_j [B, n, 2H] at once: [B·n, D].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        let keys = key(states).reshaped([states.shape[0] * states.shape[1], key.weight.shape[0]])
        return AttentionMemory(values: states, keys: keys, mask: mask)
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D]: the context c_t
    /// [B, 2H] and the alignment weights α_t [B, n], 0 outside the window.
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry: Tensor?) -> Attended {
        let (batch, n) = (memory.batchSize, memory.length)
        let sourceLengths = Tensor(shape: [batch, 1], data: memory.sourceLengths.map(Float.init))   // S_x, [B, 1]
        let centres = positionEnergy(position(s).tanh()).sigmoid() * sourceLengths                // p_t, [B, 1]
        let inWindow = (0..<(batch * n)).map { r in                                              // [B·n]
            memory.mask[r] && abs(Float(r % n) - centres.data[r / n]) <= Float(window)
        }
        let energies = memory.dotEnergies(query: s, keys: memory.keys!)                           // [B, n]
        let scores = energies.maskedSoftmax(mask: inWindow)                                      // [B, n]
        let positions = Tensor(shape: [batch, n], data: (0..<(batch * n)).map { Float($0 % n) })  // j
        let offsets = positions - centres.repeatingRows(n).reshaped([batch, n])                   // j − p_t
        let sigma = Float(window) / 2
        let gaussian = ((-1 / (2 * sigma * sigma)) * (offsets * offsets)).exp()                   // [B, n]
        let weights = scores * gaussian                                                           // [B, n]
        return Attended(context: memory.context(weights: weights), weights: weights)              // [B, 2H]
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        key.namedParameters(prefix: "key") + position.namedParameters(prefix: "position")
            + positionEnergy.namedParameters(prefix: "position_energy")
    }
}
