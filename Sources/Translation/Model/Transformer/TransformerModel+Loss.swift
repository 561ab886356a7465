/// The training objective: cross-entropy of the reference translation under teacher forcing.
import Autodiff
import Text

extension TransformerModel {
    /// The negative log-likelihood of every real target token of `batch`, and where each
    /// token is: its row t·B + b in the time-major batch, as for every model. The output
    /// layer and the loss run over the real tokens alone, one GEMM. Dropout applies when
    /// a generator is given; `smoothing` is the label smoothing ε.
    public func tokenLosses(_ batch: Batch, dropout generator: inout SeededGenerator?,
                            smoothing: Float) -> (losses: Tensor, rows: [Int]) {
        let (real, targets, rows) = teacherForcedOutputs(batch, dropout: &generator)
        let losses = Tensor.crossEntropy(logits: logits(real), targets: targets, ignoring: Vocabulary.pad,
                                         smoothing: smoothing)                                // [tokens]
        return (losses, rows)
    }

    /// The same losses summed and scaled, with the output layer and the loss fused a block
    /// of tokens at a time, so that the logits of the whole batch never exist at once.
    public func scaledLoss(_ batch: Batch, dropout generator: inout SeededGenerator?, smoothing: Float,
                           scale: Float) -> Tensor {
        let (real, targets, _) = teacherForcedOutputs(batch, dropout: &generator)
        return Tensor.linearCrossEntropy(real, weight: outputWeight, bias: outputBias, targets: targets,
                                         smoothing: smoothing, scale: scale)
    }

    /// The decoder's output at every real target token, [tokens, d], the tokens' ids and
    /// their rows t·B + b. The decoder reads the whole target input `<s> y_1 … y_{m-1}` at
    /// once, the causal mask standing in for the order of steps.
    private func teacherForcedOutputs(_ batch: Batch, dropout generator: inout SeededGenerator?)
        -> (outputs: Tensor, targets: [Int], rows: [Int]) {
        let (b, m, d) = (batch.batchSize, batch.targetSteps, config.modelSize)
        let memory = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &generator)
        let decoded = decoderStack(batchMajor(batch.targetInput, batch: b), state: initialState(memory),
                                   memory: memory, dropout: &generator).output            // [B, m, d]
        let rows = batch.targetOutput.indices.filter { batch.targetOutput[$0] != Vocabulary.pad }
        let positions = rows.map { ($0 % b) * m + $0 / b }                                // row t·B + b is b·m + t
        let real = Tensor.gather(decoded.reshaped([b * m, d]), rows: positions)           // [tokens, d]
        return (real, rows.map { batch.targetOutput[$0] }, rows)
    }
}
