/// Location-aware attention, the alignment model of "Attention-Based Models for Speech
/// Recognition" (Chorowski, Bahdanau, Serdyuk, Cho and Bengio, 2015, §2.1): additive
/// attention that also sees where it looked at the previous step.
import Autodiff

/// K filters F of odd width w slide over the previous step's weights; what they find at
/// each position joins the additive energy:
///
///     f_t  = F ∗ α_{t-1}           f_tj ∈ R^K, α_{t-1} zero padded at both ends, α_0 = 0
///     e_tj = v_a · tanh(W_a s_{t-1} + U_a h_j + V_a f_tj + b_a)       energy
///     α_t  = softmax(e_t) over the real positions                     alignment
///     c_t  = Σ_j α_tj h_j                                             context
///
/// `F ∗ α` is PyTorch's `conv1d` with padding (w − 1)/2 (a cross-correlation):
/// f_tj,k = Σ_i F[k, i] α_{t-1, j+i−(w−1)/2}. It is computed as the product of the
/// windows of α_{t-1} ([B·n, w], `slidingWindows`) with Fᵀ: the only new backward is the
/// adjoint of copying into windows, and the product is the matmul every layer uses,
/// which reads more plainly than a convolution op with its own loops and its own
/// gradient in two inputs. Padding positions carry α = 0, exactly the zero padding the
/// convolution assumes, so a sentence's energies do not depend on the batch around it.
///
/// U_a h_j + b_a does not depend on t: the keys are computed once per sentence. The
/// weights of each step are carried to the next (`Attended.carry`).
public struct LocationAwareAttention: AlignmentModel {
    /// W_a: [A, D], no bias.
    public let query: Linear
    /// U_a and b_a: [A, 2H] and [A].
    public let key: Linear
    /// v_a: [1, A].
    public let energy: Linear
    /// F: [K, w].
    public let location: Tensor
    /// V_a: [A, K], no bias.
    public let locationProjection: Linear

    public init(querySize: Int, keySize: Int, attentionSize: Int, filters: Int, width: Int,
                generator: inout SeededGenerator) {
        precondition(width % 2 == 1, "LocationAwareAttention: the filter width \(width) must be odd")
        query = Linear(inputSize: querySize, outputSize: attentionSize, bias: false, generator: &generator)
        key = Linear(inputSize: keySize, outputSize: attentionSize, generator: &generator)
        energy = Linear(inputSize: attentionSize, outputSize: 1, bias: false, generator: &generator)
        // PyTorch's conv1d initialisation: uniform with bound 1/√fan_in, fan_in = w.
        location = .uniform([filters, width], bound: 1 / Float(width).squareRoot(), generator: &generator)
        locationProjection = Linear(inputSize: filters, outputSize: attentionSize, bias: false, generator: &generator)
    }

    /// The keys U_a h_j + b_a of all encoder states h_j [B, n, 2H] at once: [B·n, A].
    public func attending(to states: Tensor, mask: [Bool]) -> AttentionMemory {
        let keys = key(states).reshaped([states.shape[0] * states.shape[1], key.weight.shape[0]])
        return AttentionMemory(values: states, keys: keys, mask: mask)
    }

    /// α_0 = 0, [B, n]: before the first step, attention has looked nowhere.
    public func initialCarry(_ memory: AttentionMemory) -> Tensor? {
        Tensor(zeros: [memory.batchSize, memory.length])
    }

    /// One decoder step's attention, from the query s_{t-1} [B, D] and the previous
    /// weights α_{t-1} [B, n] (`carry`): the context c_t [B, 2H] and α_t [B, n], which is
    /// also the carry into the next step.
    public func callAsFunction(query s: Tensor, memory: AttentionMemory, carry previous: Tensor?) -> Attended {
        let (batch, length) = (memory.batchSize, memory.length)
        let width = location.shape[1]
        let windows = previous!.slidingWindows(width: width)                              // [B·n, w]
        let features = Tensor.matmul(windows, location, transposeB: true)                 // [B·n, K]
        let projectedQuery = query(s).repeatingRows(length)                               // [B·n, A]
        let hidden = (memory.keys! + projectedQuery + locationProjection(features)).tanh()  // [B·n, A]
        let energies = energy(hidden).reshaped([batch, length])                           // [B, n]
        let weights = energies.maskedSoftmax(mask: memory.mask)                           // [B, n]
        return Attended(context: memory.context(weights: weights), weights: weights, carry: weights)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        query.namedParameters(prefix: "query") + key.namedParameters(prefix: "key")
            + energy.namedParameters(prefix: "energy") + [("location.weight", location)]
            + locationProjection.namedParameters(prefix: "location_projection")
    }
}
