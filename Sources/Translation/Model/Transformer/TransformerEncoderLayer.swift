/// One layer of the Transformer's encoder, in the pre-norm order (Wang et al. 2019).
import Autodiff
import NeuralNet

/// Self-attention then a feed-forward block, each reading a normalised copy of the
/// positions and adding its result back:
///
///     x = x + Drop(MHA(LN₁x, LN₁x, LN₁x))
///     x = x + Drop(FF(LN₂x))
///
/// Normalising before each sub-layer (rather than after the sum, as Vaswani et al. 2017
/// did) leaves the residual path an identity, which is why the pre-norm model trains
/// without a carefully tuned warm-up. Dropout sits where `nn.TransformerEncoderLayer`
/// puts it: on each sub-layer's output, and inside FF after the rectifier. The names are
/// that layer's (`self_attn`, `linear1`, `linear2`, `norm1`, `norm2`).
struct TransformerEncoderLayer: Layer {
    let selfAttention: MultiHeadAttention
    let feedForward: FeedForward
    let norm1: LayerNorm, norm2: LayerNorm
    let dropout: Float

    init(config: ModelConfig, generator: inout SeededGenerator) {
        let d = config.modelSize
        selfAttention = MultiHeadAttention(modelSize: d, heads: config.heads, generator: &generator)
        feedForward = FeedForward(modelSize: d, feedForwardSize: config.feedForwardSize, dropout: config.dropout,
                                  generator: &generator)
        (norm1, norm2) = (LayerNorm(size: d), LayerNorm(size: d))
        dropout = config.dropout
    }

    /// x [B, n, d] with its padding mask [B·n] (false at padding, which no position
    /// attends to); the result has x's shape. Dropout applies when a generator is given.
    func callAsFunction(_ x: Tensor, keyMask: [Bool], dropout generator: inout SeededGenerator?) -> Tensor {
        let attended = selfAttention(norm1(x), keyMask: keyMask).output               // [B, n, d]
        let x = x + attended.dropout(rate: dropout, training: &generator)             // [B, n, d]
        let transformed = feedForward(norm2(x), dropout: &generator)                  // [B, n, d]
        return x + transformed.dropout(rate: dropout, training: &generator)
    }

    var namedParameters: [(name: String, tensor: Tensor)] {
        selfAttention.namedParameters(prefix: "self_attn") + feedForward.namedParameters
            + norm1.namedParameters(prefix: "norm1") + norm2.namedParameters(prefix: "norm2")
    }
}
