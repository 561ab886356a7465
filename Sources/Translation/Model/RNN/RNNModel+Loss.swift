/// The training objective: cross-entropy of the reference translation under teacher forcing.
import Autodiff
import Text

extension RNNModel {
    /// The negative log-likelihood of every real target token of `batch`, and where each
    /// token is: its row t·B + b in the time-major batch. The output layer and the loss
    /// run over all real tokens at once, one GEMM, and none is spent on padding.
    /// Dropout applies when a generator is given; `smoothing` is the label smoothing ε.
    public func tokenLosses(_ batch: Batch, dropout generator: inout SeededGenerator?,
                            smoothing: Float) -> (losses: Tensor, rows: [Int]) {
        let (input, targets, rows) = forTrainingStep().teacherForcedOutputInput(batch, dropout: &generator)
        let losses = Tensor.crossEntropy(logits: output(input), targets: targets, ignoring: Vocabulary.pad,
                                         smoothing: smoothing)
        return (losses, rows)
    }

    /// The same losses summed and scaled, with the output layer and the loss fused a block
    /// of tokens at a time, so that the logits of the whole batch never exist at once.
    public func scaledLoss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float,
                           scale: Float) -> Tensor {
        let (input, targets, _) = forTrainingStep().teacherForcedOutputInput(batch, dropout: &generator)
        return Tensor.linearCrossEntropy(input, weight: output.weight, bias: output.bias, targets: targets,
                                         smoothing: smoothing, scale: scale)
    }

    /// What the output layer reads at every real target token, [tokens, D+2H+E] (after
    /// dropout, when a generator is given), the tokens' ids and their rows t·B + b. The
    /// decoder is fed the reference words (teacher forcing).
    func teacherForcedOutputInput(_ batch: Batch, dropout generator: inout SeededGenerator?)
        -> (input: Tensor, targets: [Int], rows: [Int]) {
        let (b, m, e) = (batch.batchSize, batch.targetSteps, config.embeddingSize)
        let memory = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &generator)
        var embedded = targetEmbedding(batch.targetInput)                           // [m·B, E]
        if generator != nil { embedded = embedded.dropout(rate: config.dropout, generator: &generator!) }
        let byStep = embedded.reshaped([m, b, e])

        var state = initialState(memory)
        var states: [Tensor] = [], contexts: [Tensor] = []
        for t in 0..<m {
            let previous = byStep[t..<(t + 1)].reshaped([b, e])
            let step = recurrentStep(previousEmbedding: previous, state: state, memory: memory)
            state = step.state
            states.append(state.hidden)
            contexts.append(step.context)
        }
        let features = outputFeatures(
            states: Tensor.stack(states).reshaped([m * b, config.decoderHiddenSize]),
            contexts: Tensor.stack(contexts).reshaped([m * b, 2 * config.encoderHiddenSize]),
            previousEmbeddings: embedded)                                           // [m·B, D+2H+E]
        let rows = batch.targetOutput.indices.filter { batch.targetOutput[$0] != Vocabulary.pad }
        let input = outputInput(Tensor.gather(features, rows: rows), dropout: &generator)  // [tokens, D+2H+E]
        return (input, rows.map { batch.targetOutput[$0] }, rows)
    }
}
