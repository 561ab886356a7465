/// Greedy decoding: at every step, the single most probable next word.
import Autodiff
import Text

extension TranslationModel {
    /// Translates a batch of sentences greedily. Each hypothesis stops at its own `</s>`
    /// or length limit, and its sentence then leaves the batch, so that the steps after it
    /// cost only what the sentences still being translated need.
    public func greedySearch(_ batch: Batch, limit: LengthLimit = LengthLimit()) -> [Hypothesis] {
        var noDropout: SeededGenerator? = nil
        var memory = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout)
        var state = initialState(memory)
        var hypotheses = [Hypothesis](repeating: Hypothesis(tokens: [], alignment: [], logProbability: 0),
                                      count: batch.batchSize)
        // The sentences still being translated, one per decoder row.
        var live = Array(0..<batch.batchSize)
        var previous = [Int](repeating: Vocabulary.bos, count: batch.batchSize)
        let caps = batch.sourceLengths.map { limit.maxTokens(sourceLength: $0 - 1) }

        for t in 0...(caps.max() ?? 0) {
            let step = decode(previous: previous, state: state, memory: memory)
            state = step.state
            let (mostProbable, logSumExp) = mostProbableWords(step.logits)
            let v = step.logits.columns
            var continuing: [Int] = []  // rows whose sentence goes on
            for (row, i) in live.enumerated() {
                // At the length limit only `</s>` remains.
                let best = t < caps[i] ? mostProbable[row] : Vocabulary.eos
                hypotheses[i].logProbability += step.logits.data[row * v + best] - logSumExp[row]
                if let weights = step.alignment {
                    hypotheses[i].alignment.append(sourceWeights(weights, row: row, length: batch.sourceLengths[i]))
                }
                if !step.layers.isEmpty {
                    hypotheses[i].heads.append(step.layers.flatMap { headWeights($0, row: row, length: batch.sourceLengths[i]) })
                    hypotheses[i].headLayers = step.layers.count
                }
                if best != Vocabulary.eos {
                    hypotheses[i].tokens.append(best)
                    continuing.append(row)
                }
                previous[row] = best
            }
            if continuing.isEmpty { break }
            if continuing.count < live.count {
                live = continuing.map { live[$0] }
                previous = continuing.map { previous[$0] }
                state = state.selecting(continuing)
                memory = memory.selecting(continuing)
            }
        }
        return hypotheses
    }
}

/// Row `row` of an alignment [B, n], cut to the sentence's `length` real source positions.
func sourceWeights(_ weights: Tensor, row: Int, length: Int) -> [Float] {
    let n = weights.columns
    return Array(weights.data[(row * n)..<(row * n + length)])
}

/// Row `row` of a layer's heads [B, k, n]: each head's weights, cut to the sentence's
/// `length` real source positions, [head][source].
func headWeights(_ heads: Tensor, row: Int, length: Int) -> [[Float]] {
    let (k, n) = (heads.shape[1], heads.shape[2])
    return (0..<k).map { i in Array(heads.data[((row * k + i) * n)..<((row * k + i) * n + length)]) }
}
