/// Greedy decoding: at every step, the single most probable next word.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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

extension Seq2Seq {
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
            let logProbabilities = logSoftmaxRows(logits)
            let v = logits.columns
            var continuing: [Int] = []  // rows whose sentence goes on
            for (row, i) in live.enumerated() {
                // The most probable word (the lowest id among equals); at the length
                // limit only `</s>` remains.
                var best = t < caps[i] ? 0 : Vocabulary.eos
                if t < caps[i] {
                    for c in 1..<v where logProbabilities[row * v + c] > logProbabilities[row * v + best] { best = c }
                }
                hypotheses[i].logProbability += logProbabilities[row * v + best]
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

/// log softmax of each row of a [rows, V] tensor's values, outside any graph. Rows are
/// shared among the threads.
func logSoftmaxRows(_ x: Tensor) -> [Float] {
    let v = x.columns
    return [Float](unsafeUninitializedCapacity: x.count) { out, initialized in
        x.data.withUnsafeBufferPointer { x in
            forEachRowRange(x.count / max(v, 1), costPerRow: v) { rows in
                for r in rows {
                    let row = x.baseAddress! + r * v, outRow = out.baseAddress! + r * v
                    var largest = -Float.infinity
                    for c in 0..<v { largest = max(largest, row[c]) }
                    var total: Float = 0
                    for c in 0..<v { total += expf(row[c] - largest) }
                    let logTotal = largest + logf(total)
                    for c in 0..<v { outRow[c] = row[c] - logTotal }
                }
            }
        }
        initialized = x.count
    }
}
