/// What searches need of the softmax over the vocabulary, computed outside any graph.
import Autodiff

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
