/// The training objective: cross-entropy of the reference translation under teacher forcing.
import Autodiff
import Text

extension RNNModel {
    /// The negative log-likelihood of every real target token of `batch`, and where each
    /// token is: its row t·B + b in the time-major batch. The decoder is fed the reference
    /// words (teacher forcing); the output layer and the loss then run over all real tokens
    /// at once, one GEMM, and none is spent on padding.
    /// Dropout applies when a generator is given; `smoothing` is the label smoothing ε.
    public func tokenLosses(_ batch: Batch, dropout generator: inout SeededGenerator?,
                            smoothing: Float = 0) -> (losses: Tensor, rows: [Int]) {
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
        let features = outputFeatures(
            states: Tensor.stack(states).reshaped([m * b, config.decoderHiddenSize]),
            contexts: Tensor.stack(contexts).reshaped([m * b, 2 * config.encoderHiddenSize]),
            previousEmbeddings: embedded)                                           // [m·B, D+2H+E]
        let rows = batch.targetOutput.indices.filter { batch.targetOutput[$0] != Vocabulary.pad }
        let logits = logits(Tensor.gather(features, rows: rows), dropout: &generator)  // [tokens, Vt]
        let losses = Tensor.crossEntropy(logits: logits, targets: rows.map { batch.targetOutput[$0] },
                                         ignoring: Vocabulary.pad, smoothing: smoothing)
        return (losses, rows)
    }

    /// The training loss: mean negative log-likelihood per real target token (against
    /// label-smoothed targets when `smoothing` > 0).
    public func loss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float = 0) -> Tensor {
        (1 / Float(batch.targetTokens)) * tokenLosses(batch, dropout: &generator, smoothing: smoothing).losses.sum()
    }

    /// Each sentence's negative log-likelihood, summed over its target tokens and `</s>`,
    /// in the batch's order. Without dropout.
    public func sentenceLosses(_ batch: Batch) -> [Float] {
        var noDropout: SeededGenerator? = nil
        let (losses, rows) = tokenLosses(batch, dropout: &noDropout)
        var sums = [Float](repeating: 0, count: batch.batchSize)
        for (loss, row) in zip(losses.data, rows) { sums[row % batch.batchSize] += loss }
        return sums
    }
}
