/// What the Transformer's decoder reads of the source, and what it carries from one step
/// to the next: key/value caches, so that nothing is computed twice.
import Autodiff
import NeuralNet

/// The encoded source as every decoder layer's cross-attention reads it: the encoder's
/// output (after its final LayerNorm) projected to that layer's keys and values once per
/// batch, with the source padding mask inside each cache.
public struct TransformerMemory: RowSelectable {
    /// One cache per decoder layer, keys and values [B, k, n, dh] each.
    public let crossAttention: [KeyValueCache]

    public var batchSize: Int { crossAttention[0].batch }
    /// n, the longest source in the batch (tokens and `</s>`).
    public var length: Int { crossAttention[0].length }

    public func selecting(_ rows: [Int]) -> TransformerMemory {
        TransformerMemory(crossAttention: crossAttention.map { $0.selecting(rows) })
    }
}

/// The decoder between steps: every layer's self-attention keys and values of the
/// positions decoded so far. A step appends one position to each; none is recomputed.
public struct TransformerState: RowSelectable {
    /// One cache per decoder layer, keys and values [B, k, t, dh] each.
    public let selfAttention: [KeyValueCache]

    /// t, the positions decoded so far: the next word's position in PE.
    public var position: Int { selfAttention[0].length }

    public func selecting(_ rows: [Int]) -> TransformerState {
        TransformerState(selfAttention: selfAttention.map { $0.selecting(rows) })
    }
}
