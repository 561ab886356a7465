/// One layer of the Transformer's decoder, in the pre-norm order (Wang et al. 2019).
import Autodiff
import NeuralNet

/// Causal self-attention, attention over the encoder's output, then a feed-forward block,
/// each reading a normalised copy of the positions and adding its result back:
///
///     x = x + Drop(MHA(LN₁x, LN₁x, LN₁x))          causal: position i sees 0…i
///     x = x + Drop(MHA(LN₂x, memory, memory))      over the real source positions
///     x = x + Drop(FF(LN₃x))
///
/// Dropout and names are those of `nn.TransformerDecoderLayer` (`self_attn`,
/// `multihead_attn`, `linear1`, `linear2`, `norm1`…`norm3`).
///
/// Training and decoding run the same code: the self-attention keys and values go through
/// a cache either way. Training starts from an empty cache and appends all m target
/// positions at once (the causal mask then keeps each from later ones); a search appends
/// one position per step. A padded target position is never a key of a real one, since
/// padding only follows a sentence's `</s>`, so no padding mask is needed on this side.
struct TransformerDecoderLayer: Layer {
    private(set) var selfAttention: MultiHeadAttention
    private(set) var crossAttention: MultiHeadAttention
    private(set) var feedForward: FeedForward
    let norm1: LayerNorm, norm2: LayerNorm, norm3: LayerNorm
    let dropout: Float

    init(config: ModelConfig, generator: inout SeededGenerator) {
        let d = config.modelSize
        selfAttention = MultiHeadAttention(modelSize: d, heads: config.heads, generator: &generator)
        crossAttention = MultiHeadAttention(modelSize: d, heads: config.heads, generator: &generator)
        feedForward = FeedForward(modelSize: d, feedForwardSize: config.feedForwardSize, dropout: config.dropout,
                                  generator: &generator)
        (norm1, norm2, norm3) = (LayerNorm(size: d), LayerNorm(size: d), LayerNorm(size: d))
        dropout = config.dropout
    }

    /// The new positions x [B, t', d] after the t held in `cache`, which receives their
    /// keys and values; `memory` is this layer's projection of the encoder output.
    /// Returns the positions [B, t', d] and the cross-attention weights [B, k, t', n].
    /// Dropout applies when a generator is given.
    func callAsFunction(_ x: Tensor, cache: inout KeyValueCache, memory: KeyValueCache,
                        dropout generator: inout SeededGenerator?) -> (output: Tensor, weights: Tensor) {
        let attended = selfAttention(norm1(x), cache: &cache).output                  // [B, t', d]
        var x = x + attended.dropout(rate: dropout, training: &generator)             // [B, t', d]
        let (context, weights) = crossAttention(query: norm2(x), memory: memory)      // [B, t', d], [B, k, t', n]
        x = x + context.dropout(rate: dropout, training: &generator)                  // [B, t', d]
        let transformed = feedForward(norm3(x), dropout: &generator)                  // [B, t', d]
        return (x + transformed.dropout(rate: dropout, training: &generator), weights)
    }

    /// The layer with its step's products packed for a search (`PackedWeight`).
    func keepingPackedWeights() -> TransformerDecoderLayer {
        var layer = self
        layer.selfAttention = selfAttention.keepingPackedWeights()
        layer.crossAttention = crossAttention.keepingPackedWeights()
        layer.feedForward = feedForward.keepingPackedWeights()
        return layer
    }

    var namedParameters: [(name: String, tensor: Tensor)] {
        selfAttention.namedParameters(prefix: "self_attn") + crossAttention.namedParameters(prefix: "multihead_attn")
            + feedForward.namedParameters + norm1.namedParameters(prefix: "norm1")
            + norm2.namedParameters(prefix: "norm2") + norm3.namedParameters(prefix: "norm3")
    }
}
