/// The training objective: cross-entropy of the reference translation under teacher forcing.

extension Seq2Seq {
    /// The negative log-likelihood of every target token of `batch`, [m·B] time-major, with
    /// 0 at padding. The decoder is fed the reference words (teacher forcing); the output
    /// layer and the loss then run over all steps at once, as one GEMM.
    /// Dropout applies when a generator is given; `smoothing` is the label smoothing ε.
    public func tokenLosses(_ batch: Batch, dropout generator: inout SeededGenerator?,
                            smoothing: Float = 0) -> Tensor {
        let (b, m, e) = (batch.batchSize, batch.targetSteps, config.embeddingSize)
        let source = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &generator)
        var embedded = targetEmbedding(batch.targetInput)                           // [m·B, E]
        if generator != nil { embedded = embedded.dropout(rate: config.dropout, generator: &generator!) }
        let byStep = embedded.reshaped([m, b, e])

        var state = initialDecoderState(source)
        var states: [Tensor] = [], contexts: [Tensor] = []
        for t in 0..<m {
            let previous = byStep[t..<(t + 1)].reshaped([b, e])
            let step = decodeStep(previousEmbedding: previous, state: state, source: source)
            state = step.state
            states.append(state.hidden)
            contexts.append(step.context)
        }
        let logits = logits(states: Tensor.stack(states).reshaped([m * b, config.decoderHiddenSize]),
                            contexts: Tensor.stack(contexts).reshaped([m * b, 2 * config.encoderHiddenSize]),
                            previousEmbeddings: embedded, dropout: &generator)     // [m·B, Vt]
        return Tensor.crossEntropy(logits: logits, targets: batch.targetOutput, ignoring: Vocabulary.pad,
                                   smoothing: smoothing)
    }

    /// The training loss: mean negative log-likelihood per real target token (against
    /// label-smoothed targets when `smoothing` > 0).
    public func loss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float = 0) -> Tensor {
        (1 / Float(batch.targetTokens)) * tokenLosses(batch, dropout: &generator, smoothing: smoothing).sum()
    }

    /// Each sentence's negative log-likelihood, summed over its target tokens and `</s>`,
    /// in the batch's order. Without dropout.
    public func sentenceLosses(_ batch: Batch) -> [Float] {
        var noDropout: SeededGenerator? = nil
        let losses = tokenLosses(batch, dropout: &noDropout).data
        var sums = [Float](repeating: 0, count: batch.batchSize)
        for (i, loss) in losses.enumerated() { sums[i % batch.batchSize] += loss }
        return sums
    }
}
