/// Greedy decoding: at every step, the single most probable next word.
import Autodiff
import Text

/// A translation produced by a search, with what the model looked at to produce it.
public struct Hypothesis: Sendable {
    /// Target ids, without `<s>` and `</s>`.
    public var tokens: [Int]
    /// For every output step (each token, then `</s>` if it was reached), the attention
    /// weights over the source positions (its tokens and `</s>`). Empty for the baseline.
    public var alignment: [[Float]]
    /// The sum of the log-probabilities of the chosen words, `</s>` included.
    public var logProbability: Float
}

/// How long a translation may grow: a multiple of the source length plus a constant, so
/// that a model that never says `</s>` still stops.
public struct LengthLimit: Sendable {
    public var ratio: Float = 2
    public var extra = 10

    public init(ratio: Float = 2, extra: Int = 10) {
        self.ratio = ratio
        self.extra = extra
    }

    /// The largest number of tokens (excluding `</s>`) for a source of `length` tokens.
    public func maxTokens(sourceLength length: Int) -> Int { Int(ratio * Float(length)) + extra }
}

extension RNNModel {
    /// Translates a batch of sentences greedily. Each hypothesis stops at its own `</s>`
    /// or length limit, and its sentence then leaves the batch, so that the steps after it
    /// cost only what the sentences still being translated need.
    public func greedySearch(_ batch: Batch, limit: LengthLimit = LengthLimit()) -> [Hypothesis] {
        var noDropout: SeededGenerator? = nil
        var source = encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout)
        var state = initialDecoderState(source)
        var hypotheses = [Hypothesis](repeating: Hypothesis(tokens: [], alignment: [], logProbability: 0),
                                      count: batch.batchSize)
        // The sentences still being translated, one per decoder row.
        var live = Array(0..<batch.batchSize)
        var previous = [Int](repeating: Vocabulary.bos, count: batch.batchSize)
        let caps = batch.sourceLengths.map { limit.maxTokens(sourceLength: $0 - 1) }

        for t in 0...(caps.max() ?? 0) {
            let embedded = targetEmbedding(previous)
            let step = decodeStep(previousEmbedding: embedded, state: state, source: source)
            state = step.state
            let features = outputFeatures(states: state.hidden, contexts: step.context,
                                          previousEmbeddings: embedded)
            let logits = logits(features, dropout: &noDropout)
            let (mostProbable, logSumExp) = mostProbableWords(logits)
            let v = logits.columns
            var continuing: [Int] = []  // rows whose sentence goes on
            for (row, i) in live.enumerated() {
                // At the length limit only `</s>` remains.
                let best = t < caps[i] ? mostProbable[row] : Vocabulary.eos
                hypotheses[i].logProbability += logits.data[row * v + best] - logSumExp[row]
                if let weights = step.weights {
                    let n = source.length
                    hypotheses[i].alignment.append(Array(weights.data[(row * n)..<(row * n + batch.sourceLengths[i])]))
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
                state = DecoderState(hidden: Tensor.gather(state.hidden, rows: continuing),
                                     cell: Tensor.gather(state.cell, rows: continuing))
                source = source.selecting(continuing)
            }
        }
        return hypotheses
    }
}

/// For each row of logits [rows, V], outside any graph: the most probable word (the
/// lowest id among equals) and the row's log Σ exp, whose difference with a logit is that
/// word's log-probability, all greedy search needs of the softmax. The words are compared
/// by log-probability, as beam search compares them, so that the two agree to the bit.
/// Rows are shared among the threads.
func mostProbableWords(_ x: Tensor) -> (words: [Int], logSumExp: [Float]) {
    let v = x.columns, rows = x.count / max(v, 1)
    var words = [Int](repeating: 0, count: rows)
    var logSumExp = [Float](repeating: 0, count: rows)
    x.data.withUnsafeBufferPointer { x in
        words.withUnsafeMutableBufferPointer { words in
            logSumExp.withUnsafeMutableBufferPointer { logSumExp in
                forEachRowRange(rows, costPerRow: v) { range in
                    for r in range {
                        let row = x.baseAddress! + r * v
                        let logTotal = rowLogSumExp(row, count: v)
                        var best = 0
                        for c in 1..<v where row[c] - logTotal > row[best] - logTotal { best = c }
                        (words[r], logSumExp[r]) = (best, logTotal)
                    }
                }
            }
        }
    }
    return (words, logSumExp)
}

/// log softmax of each row of a [rows, V] tensor's values, outside any graph. Rows are
/// shared among the threads.
func logSoftmaxRows(_ x: Tensor) -> [Float] {
    let v = x.columns
    return [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
        x.data.withUnsafeBufferPointer { x in
            forEachRowRange(x.count / max(v, 1), costPerRow: v) { rows in
                for r in rows {
                    let row = x.baseAddress! + r * v, outRow = out.baseAddress! + r * v
                    let logTotal = rowLogSumExp(row, count: v)
                    for c in 0..<v { outRow[c] = row[c] - logTotal }
                }
            }
        }
        initialized = x.count
    }
}
