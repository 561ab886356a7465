/// The Transformer's decoder: the layers over new target positions, and one search step.
import Autodiff
import NeuralNet

extension TransformerModel {
    /// No position decoded yet: every layer's self-attention cache is empty.
    public func initialState(_ memory: TransformerMemory) -> TransformerState {
        let (batch, heads) = (memory.batchSize, config.heads)
        return TransformerState(selfAttention: decoderLayers.map { _ in
            KeyValueCache(batch: batch, heads: heads, headSize: config.modelSize / heads)
        })
    }

    /// The decoder over new target positions, batch-major ids [B·t'] following the t that
    /// `state` holds:
    ///
    /// 1. x = emb(y) · √d + PE[t ..< t + t'], dropout;
    /// 2. each decoder layer, its self-attention cache growing by the t' positions;
    /// 3. the final LayerNorm.
    ///
    /// Returns the positions [B, t', d], the new state, and every layer's cross-attention
    /// weights [B, k, t', n]. Dropout applies when a generator is given.
    func decoderStack(_ ids: [Int], state: TransformerState, memory: TransformerMemory,
                      dropout generator: inout SeededGenerator?)
        -> (output: Tensor, state: TransformerState, weights: [Tensor]) {
        var x = embed(ids, with: targetEmbedding, batch: memory.batchSize, first: state.position,
                      dropout: &generator)                                                // [B, t', d]
        var caches = state.selfAttention, weights: [Tensor] = []
        for (i, layer) in decoderLayers.enumerated() {
            let step = layer(x, cache: &caches[i], memory: memory.crossAttention[i], dropout: &generator)
            x = step.output                                                               // [B, t', d]
            weights.append(step.weights)                                                  // [B, k, t', n]
        }
        return (decoderNorm(x), TransformerState(selfAttention: caches), weights)
    }

    /// logits = W_o y + b_o for rows y [..., d]: [..., Vt].
    func logits(_ y: Tensor) -> Tensor {
        output(y)
    }

    /// One decoder step of a search, without dropout: the previous word of each row at
    /// position t through the layers (reading and extending the caches), then the output
    /// layer. The alignment is the last layer's cross-attention averaged over its heads;
    /// `layers` holds every layer's heads, [B, k, n] each.
    public func decode(previous words: [Int], state: TransformerState, memory: TransformerMemory)
        -> DecoderStep<TransformerState> {
        let (batch, n, d) = (words.count, memory.length, config.modelSize)
        var noDropout: SeededGenerator? = nil
        let step = decoderStack(words, state: state, memory: memory, dropout: &noDropout)
        let heads = step.weights.map { $0.reshaped([batch, config.heads, n]) }            // [B, k, n] each
        return DecoderStep(logits: logits(step.output.reshaped([batch, d])), state: step.state,
                           alignment: heads.last!.mean(axis: 1), layers: heads)           // [B, Vt], [B, n]
    }
}
