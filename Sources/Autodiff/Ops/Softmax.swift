/// Softmax along each row, with masked positions excluded, and the log-sum-exp that
/// normalises a log-softmax.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension Tensor {
    /// `softmax(x)` along each row, treating positions where `mask` is false as −∞
    /// (probability exactly 0): attention must never look at padding. `mask` has one
    /// entry per element; a row needs at least one true entry.
    ///
    /// Backward: with y = softmax(x), dx = y ⊙ (dy − Σⱼ yⱼ dyⱼ); masked positions have
    /// y = 0 and so receive no gradient.
    public func maskedSoftmax(mask: [Bool]) -> Tensor {
        precondition(mask.count == count, "maskedSoftmax: \(mask.count) mask entries for shape \(shape)")
        let x = self, cols = columns
        var y = [Float](repeating: 0, count: count)
        for r in 0..<rows {
            let base = r * cols
            precondition(mask[base..<(base + cols)].contains(true), "maskedSoftmax: row \(r) is entirely masked")
            // A NaN among the inputs makes the row NaN rather than stopping the program:
            // the trainer must see it in the loss to stop cleanly.
            var largest = -Float.infinity
            for c in 0..<cols where mask[base + c] { largest = max(largest, data[base + c]) }
            var total: Float = 0
            for c in 0..<cols where mask[base + c] {
                y[base + c] = expf(data[base + c] - largest)
                total += y[base + c]
            }
            for c in 0..<cols { y[base + c] /= total }
        }
        return Tensor(shape: shape, data: y, inputs: [x]) { dy in
            var dx = [Float](repeating: 0, count: y.count)
            for r in 0..<(y.count / cols) {
                let base = r * cols
                var dot: Float = 0
                for c in 0..<cols { dot += y[base + c] * dy[base + c] }
                for c in 0..<cols { dx[base + c] = y[base + c] * (dy[base + c] - dot) }
            }
            x.accumulate(dx)
        }
    }
}

/// log Σ_c exp(row[c]) over `count` values, with the largest subtracted before `exp` so
/// that nothing overflows: the normaliser of a log-softmax. The loss and both searches
/// take it from here, so that greedy and beam search agree to the bit.
public func rowLogSumExp(_ row: UnsafePointer<Float>, count: Int) -> Float {
    var largest = -Float.infinity
    for c in 0..<count { largest = max(largest, row[c]) }
    var total: Float = 0
    for c in 0..<count { total += expf(row[c] - largest) }
    return largest + logf(total)
}
