/// Softmax along each row, with masked positions excluded (per element, or per key of
/// attention energies with an optional causal mask), and the log-sum-exp that
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
        let y = data.withUnsafeBufferPointer { x in
            uninitializedArray(count: count) { y in
                for r in 0..<rows {
                    let base = r * cols
                    precondition(mask[base..<(base + cols)].contains(true), "maskedSoftmax: row \(r) is entirely masked")
                    softmaxRow(x.baseAddress! + base, y + base, count: cols, scale: 1) { mask[base + $0] }
                }
            }
        }
        return Tensor(shape: shape, data: y, inputs: [x]) { dy in
            x.accumulate(softmaxBackward(y, dy, rowLength: cols, scale: 1))
        }
    }

    /// Attention weights from energies [B, …, Tq, Tk] (heads, if any, in between): a
    /// softmax over the keys of `scale` times the energies, with masked keys treated as
    /// −∞ and so given weight exactly 0.
    ///
    /// - `keyMask` has one entry per key of each sentence, [B·Tk], false at padding; all
    ///   heads and queries of the sentence share it.
    /// - With `causal`, the queries are the last Tq of the Tk positions and none looks at
    ///   a later one: key j is masked for query i when j > i + Tk − Tq (j > i when Tq = Tk).
    ///   One decoder step over a key cache thus masks nothing.
    /// - `scale` is scaled dot-product attention's 1/√dh, applied here in the pass that
    ///   takes the exponentials rather than in a pass of its own over the queries or the
    ///   energies.
    ///
    /// Every query must keep at least one key. A softmax over no key is 0/0, a NaN that
    /// would spread through the context into every later layer, so a sentence without
    /// one (with `causal`: none at or before the first query's position) stops the
    /// program, as `maskedSoftmax(mask:)` does; it means a sentence of no tokens, not even
    /// its `</s>`. NaN energies (weights that have diverged) still give NaN weights, for
    /// the trainer to see in its loss.
    ///
    /// Backward: dx = scale · y ⊙ (dy − Σⱼ yⱼ dyⱼ), zero at masked keys. Rows are shared
    /// among the threads both ways.
    public func maskedSoftmax(keyMask: [Bool], causal: Bool = false, scale: Float = 1) -> Tensor {
        precondition(shape.count >= 3, "maskedSoftmax: energies need [B, …, Tq, Tk], got \(shape)")
        let (batch, queries, keys) = (shape[0], shape[shape.count - 2], shape[shape.count - 1])
        precondition(keyMask.count == batch * keys, "maskedSoftmax: \(keyMask.count) key mask entries for \(batch) × \(keys) keys")
        precondition(!causal || queries <= keys, "maskedSoftmax: causal with \(queries) queries but \(keys) keys")
        precondition(scale > 0, "maskedSoftmax: scale \(scale) must be positive")
        let offset = keys - queries, seenByFirstQuery = causal ? offset + 1 : keys
        for b in 0..<batch {
            precondition(keyMask[(b * keys)..<(b * keys + seenByFirstQuery)].contains(true),
                         "maskedSoftmax: sentence \(b) leaves a query no key to attend to")
        }
        let x = self, rowsPerSentence = count / max(batch * keys, 1)
        let y = data.withUnsafeBufferPointer { x in
            uninitializedArray(count: count) { y in
                forEachRowRange(count / max(keys, 1), costPerRow: 16 * keys) { range in
                    for r in range {
                        let (b, i) = (r / rowsPerSentence, r % queries)
                        let last = causal ? i + offset : keys - 1
                        softmaxRow(x.baseAddress! + r * keys, y + r * keys, count: keys, scale: scale) {
                            $0 <= last && keyMask[b * keys + $0]
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, data: y, inputs: [x]) { dy in
            x.accumulate(softmaxBackward(y, dy, rowLength: keys, scale: scale))
        }
    }
}

/// y = softmax(scale · x) over the entries of one row that `allowed` admits, 0 at the
/// others; the largest admitted value is subtracted before `exp` so nothing overflows.
/// A NaN among the inputs makes the row NaN rather than stopping the program: the
/// trainer must see it in the loss to stop cleanly.
@inline(__always)
private func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, scale: Float,
                        allowed: (Int) -> Bool) {
    var largest = -Float.infinity
    for c in 0..<count where allowed(c) { largest = max(largest, x[c]) }
    var total: Float = 0
    for c in 0..<count {
        if allowed(c) {
            y[c] = exponential(scale * (x[c] - largest))
            total += y[c]
        } else {
            y[c] = 0
        }
    }
    for c in 0..<count { y[c] /= total }
}

/// dx = scale · y ⊙ (dy − Σⱼ yⱼ dyⱼ) for every row of `rowLength` values of the softmax
/// y = softmax(scale · x), rows shared among the threads.
private func softmaxBackward(_ y: [Float], _ dy: [Float], rowLength: Int, scale: Float) -> [Float] {
    y.withUnsafeBufferPointer { y in
        dy.withUnsafeBufferPointer { dy in
            uninitializedArray(count: y.count) { dx in
                forEachRowRange(y.count / max(rowLength, 1), costPerRow: 2 * rowLength) { range in
                    for r in range {
                        let base = r * rowLength
                        var dot: Float = 0
                        for c in 0..<rowLength { dot += y[base + c] * dy[base + c] }
                        for c in 0..<rowLength { dx[base + c] = scale * y[base + c] * (dy[base + c] - dot) }
                    }
                }
            }
        }
    }
}

/// log Σ_c exp(row[c]) over `count` values, with the largest subtracted before `exp` so
/// that nothing overflows: the normaliser of a log-softmax. The loss and both searches
/// take it from here, so that greedy and beam search agree to the bit.
public func rowLogSumExp(_ row: UnsafePointer<Float>, count: Int) -> Float {
    rowExponentialSum(row, count: count).logSumExp
}

/// A row's largest value m and the sum Σ = Σ_c exp(row[c] − m): its log-sum-exp is
/// m + log Σ, its softmax exp(row[c] − m) / Σ.
struct ExponentialSum {
    let largest: Float
    let total: Float
    var logSumExp: Float { largest + logf(total) }
}

/// The row's `ExponentialSum`.
///
/// Both passes go eight values at a time: the largest is the same in any order, and the
/// sum of the exponentials is taken as eight running sums (value c into sum c mod 8)
/// added at the end, an order that differs from one running sum only by rounding. The
/// exponentials are taken a block at a time into a scratch buffer by a plain loop, which
/// vectorises, and summed from there.
func rowExponentialSum(_ row: UnsafePointer<Float>, count: Int) -> ExponentialSum {
    let largest = rowMaximum(row, count: count)
    var totalByLane = SIMD8<Float>()
    withUnsafeTemporaryAllocation(of: Float.self, capacity: exponentialBlock) { scratch in
        let e = scratch.baseAddress!
        for first in stride(from: 0, to: count - count % 8, by: exponentialBlock) {
            let (n, x) = (min(exponentialBlock, count - count % 8 - first), row + first)
            for c in 0..<n { e[c] = exponential(x[c] - largest) }  // plain indices: vectorises
            addLanes(e, count: n, to: &totalByLane)
        }
    }
    var total = totalByLane.sum()
    for c in (count - count % 8)..<count { total += exponential(row[c] - largest) }
    return ExponentialSum(largest: largest, total: total)
}

/// `rowExponentialSum` that leaves each exp(row[c] − m) in place of row[c], for a loss
/// whose gradient, the softmax, needs them again: its m and Σ are the other's to the bit,
/// the same exponentials summed in the same order. Its own loop rather than that one's
/// with the row as destination: read and written through one pointer, the values leave
/// the compiler no overlap to rule out, where two pointers to the same values would fail
/// its run-time check and send the loop down its one-value-at-a-time path.
func exponentiateRow(_ row: UnsafeMutablePointer<Float>, count: Int) -> ExponentialSum {
    let largest = rowMaximum(row, count: count)
    var totalByLane = SIMD8<Float>()
    for first in stride(from: 0, to: count - count % 8, by: exponentialBlock) {
        let (n, x) = (min(exponentialBlock, count - count % 8 - first), row + first)
        for c in 0..<n { x[c] = exponential(x[c] - largest) }
        addLanes(x, count: n, to: &totalByLane)
    }
    var total = totalByLane.sum()
    for c in (count - count % 8)..<count {
        row[c] = exponential(row[c] - largest)
        total += row[c]
    }
    return ExponentialSum(largest: largest, total: total)
}

/// Exponentials taken per block of the sums above: a block stays in the first-level cache
/// between being written and being summed.
private let exponentialBlock = 256

/// The largest of `count` values, eight at a time.
private func rowMaximum(_ row: UnsafePointer<Float>, count: Int) -> Float {
    let whole = count - count % 8
    var largestByLane = SIMD8<Float>(repeating: -.infinity)
    for c in stride(from: 0, to: whole, by: 8) {
        let values = UnsafeRawPointer(row + c).loadUnaligned(as: SIMD8<Float>.self)
        largestByLane.replace(with: values, where: values .> largestByLane)
    }
    var largest = largestByLane.max()
    for c in whole..<count { largest = max(largest, row[c]) }
    return largest
}

/// Adds `count` values (a multiple of 8) into eight running sums, value c into sum c mod 8:
/// the exponentials' sums above, and `rowSum`'s.
@inline(__always)
func addLanes(_ values: UnsafePointer<Float>, count: Int, to sums: inout SIMD8<Float>) {
    for c in stride(from: 0, to: count, by: 8) { sums += UnsafeRawPointer(values + c).loadUnaligned(as: SIMD8<Float>.self) }
}
