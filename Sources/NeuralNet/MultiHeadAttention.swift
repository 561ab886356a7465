/// Multi-head attention, "Attention Is All You Need" (Vaswani et al. 2017, §3.2), with the
/// parameters of PyTorch's `nn.MultiheadAttention`.
import Autodiff

/// k heads of scaled dot-product attention, each over its own dh = d/k features of one
/// shared in-projection:
///
///     [Q; K; V] = [W_q; W_k; W_v] x + b_in               in_proj_weight [3d, d], in_proj_bias [3d]
///     head_i    = softmax(Q_i K_iᵀ / √dh) V_i             padding keys at −∞
///     MHA       = W_O [head_1; …; head_k] + b_O           out_proj [d, d], [d]
///
/// Self-attention takes queries, keys and values from the same sequence; cross-attention
/// takes its keys and values from the encoder's output (the memory). A head is a
/// reshaping of the projections (`splittingHeads`), not a layer of its own, and every
/// head of every sentence is one product in a batch: Q Kᵀ is [B, k, Tq, dh] × [B, k, Tk, dh]ᵀ.
///
/// Keys and values are held as a `KeyValueCache`, so that the whole-sequence forward pass
/// of training and a decoder's steps run through the same `attend`.
public struct MultiHeadAttention: Layer {
    public let heads: Int
    /// [W_q; W_k; W_v], [3d, d], rows query then key then value.
    public let inProjWeight: Tensor
    /// [b_q; b_k; b_v], [3d].
    public let inProjBias: Tensor
    /// W_O and b_O, [d, d] and [d].
    public private(set) var outProj: Linear
    /// For a search (`keepingPackedWeights()`): the whole in-projection, and its query rows
    /// alone, as layers with packed weights; nil otherwise.
    private var packedProjection: Linear? = nil, packedQuery: Linear? = nil

    /// PyTorch's initialisation (`MultiheadAttention._reset_parameters`): Glorot's uniform
    /// bound √(6 / (fan_in + fan_out)) = √(6 / 4d) over the whole [3d, d] in-projection,
    /// zero in-projection bias; `out_proj` keeps `nn.Linear`'s uniform bound 1/√d for its
    /// weight, and its bias is then set to zero.
    public init(modelSize d: Int, heads: Int, generator: inout SeededGenerator) {
        precondition(d % heads == 0, "MultiHeadAttention: \(heads) heads do not divide model size \(d)")
        self.heads = heads
        inProjWeight = .uniform([3 * d, d], bound: (6 / Float(4 * d)).squareRoot(), generator: &generator)
        inProjBias = Tensor(zeros: [3 * d], requiresGrad: true)
        outProj = Linear(inputSize: d, outputSize: d, generator: &generator)
        outProj.bias!.data = [Float](repeating: 0, count: d)
    }

    public var modelSize: Int { inProjWeight.shape[1] }
    /// dh = d/k.
    public var headSize: Int { modelSize / heads }

    /// Self-attention of x [B, T, d] over itself, padding keys (`keyMask` [B·T], false at
    /// padding) masked, and with `causal` every later position too (a decoder's).
    /// Returns the output [B, T, d] and every head's weights [B, k, T, T].
    public func callAsFunction(_ x: Tensor, keyMask: [Bool], causal: Bool = false)
        -> (output: Tensor, weights: Tensor) {
        let d = modelSize
        let qkv = project(x, rows: 0..<(3 * d)).split([d, d, d])                 // 3 × [B, T, d]
        let own = KeyValueCache(keys: qkv[1].splittingHeads(heads), values: qkv[2].splittingHeads(heads),
                                keyMask: keyMask)                                // [B, k, T, dh] each
        return attend(qkv[0].splittingHeads(heads), to: own, causal: causal)
    }

    /// One or more decoder steps of self-attention: the keys and values of the new
    /// positions x [B, n, d] are appended to `cache`, and the new queries attend to every
    /// position so far (among the new ones, only to earlier ones). Nothing already in the
    /// cache is recomputed. Returns the output [B, n, d] and the weights [B, k, n, t + n].
    public func callAsFunction(_ x: Tensor, cache: inout KeyValueCache) -> (output: Tensor, weights: Tensor) {
        let d = modelSize
        let qkv = project(x, rows: 0..<(3 * d)).split([d, d, d])                 // 3 × [B, n, d]
        cache = cache.appending(keys: qkv[1].splittingHeads(heads), values: qkv[2].splittingHeads(heads))
        return attend(qkv[0].splittingHeads(heads), to: cache, causal: true)
    }

    /// The keys and values of the encoder output `memory` [B, S, d] with its padding mask
    /// [B·S], for cross-attention: computed once per batch, read at every decoder step.
    public func projectMemory(_ memory: Tensor, mask: [Bool]) -> KeyValueCache {
        let d = modelSize
        let kv = project(memory, rows: d..<(3 * d)).split([d, d])                // 2 × [B, S, d]
        return KeyValueCache(keys: kv[0].splittingHeads(heads), values: kv[1].splittingHeads(heads), keyMask: mask)
    }

    /// Cross-attention of the queries from x [B, Tq, d] over the encoder output `memory`
    /// [B, S, d] with its padding mask [B·S]. Returns the output [B, Tq, d] and the
    /// weights [B, k, Tq, S].
    public func callAsFunction(query x: Tensor, memory: Tensor, memoryMask: [Bool]) -> (output: Tensor, weights: Tensor) {
        self(query: x, memory: projectMemory(memory, mask: memoryMask))
    }

    /// Cross-attention of the queries from x [B, Tq, d] over a projected memory.
    /// Returns the output [B, Tq, d] and the weights [B, k, Tq, S].
    public func callAsFunction(query x: Tensor, memory: KeyValueCache) -> (output: Tensor, weights: Tensor) {
        attend(project(x, rows: 0..<modelSize).splittingHeads(heads), to: memory, causal: false)
    }

    /// softmax(Q Kᵀ / √dh) V per sentence and head, then the heads side by side through W_O.
    private func attend(_ queries: Tensor, to memory: KeyValueCache, causal: Bool) -> (output: Tensor, weights: Tensor) {
        let energies = Tensor.batchedMatmul(queries, memory.keys, transposeB: true)        // [B, k, Tq, Tk]
        let weights = energies.maskedSoftmax(keyMask: memory.keyMask, causal: causal,
                                             scale: 1 / Float(headSize).squareRoot())     // [B, k, Tq, Tk]
        let context = Tensor.batchedMatmul(weights, memory.values)                         // [B, k, Tq, dh]
        return (outProj(context.mergingHeads()), weights)                                  // [B, Tq, d]
    }

    /// `x W_in[rows]ᵀ + b_in[rows]` for the in-projection rows `rows` (0..<d query, d..<2d
    /// key, 2d..<3d value). Cross-attention needs a part: those rows are copied, d² or 2d²
    /// values against the product's B·T·d² multiply-adds.
    private func project(_ x: Tensor, rows: Range<Int>) -> Tensor {
        if rows.count == inProjWeight.shape[0] {
            return packedProjection?(x) ?? Tensor.affine(x, inProjWeight, inProjBias)
        }
        if let packedQuery, rows == 0..<modelSize { return packedQuery(x) }
        return Tensor.affine(x, inProjWeight[rows], inProjBias.columns(rows))
    }

    /// The layer with its in-projection (whole, and its query rows) and W_O packed for a
    /// search's steps (`Linear.keepingPackedWeight()`); the memory's keys and values,
    /// projected once per batch, still go through OpenBLAS. Never trained.
    public func keepingPackedWeights() -> MultiHeadAttention {
        var layer = self
        let query = 0..<modelSize
        layer.packedProjection = Linear(weight: inProjWeight, bias: inProjBias).keepingPackedWeight()
        let queryWeight = Tensor(shape: [modelSize, modelSize], data: inProjWeight[query].data)
        let queryBias = Tensor(shape: [modelSize], data: inProjBias.columns(query).data)
        layer.packedQuery = Linear(weight: queryWeight, bias: queryBias).keepingPackedWeight()
        layer.outProj = outProj.keepingPackedWeight()
        return layer
    }

    /// PyTorch's names, so that a state dict loads into `nn.MultiheadAttention`.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("in_proj_weight", inProjWeight), ("in_proj_bias", inProjBias)] + outProj.namedParameters(prefix: "out_proj")
    }
}
