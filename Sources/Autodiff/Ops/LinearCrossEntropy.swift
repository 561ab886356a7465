/// An output layer and its cross-entropy fused, a block of rows at a time.

extension Tensor {
    /// s · Σ_r CE(x_r Wᵀ + b, target_r), a scalar, for inputs x [N, F], weights W [V, F],
    /// an optional bias b [V] and N targets: `s * crossEntropy(logits: matmul(x, W,
    /// transposeB: true) + b, …).sum()` without ever holding the logits of all N rows.
    ///
    /// The logits of a translation model's output layer are the largest tensor of a
    /// training step (N target tokens × a vocabulary of thousands), and so is their
    /// gradient. Composed, both are alive at once when backward starts. Here the rows go
    /// through in blocks of `blockRows`: each block's logits are computed into one reused
    /// buffer, turned into their loss and, in the same buffer, into their gradient
    /// G = s (softmax − q) (q the smoothed target distribution), which is at once
    /// multiplied out into the gradients of x (G W), of W (Gᵀ x, summed over the blocks)
    /// and of b (G's columns summed). Backward then has only to hand them on, scaled by
    /// the upstream gradient when that is not 1, as it is for a loss itself.
    ///
    /// The default block, 512 rows, holds a whole share of a Multi30k batch (about 430
    /// target tokens, `ModelReplicas`): BLAS packs W again at every product, so each block
    /// costs two packings of W and one more pass over W's gradient. Blocks of 256 took
    /// about 3% more of a step; 512 rows of 5,969 logits take 12 MB.
    ///
    /// With every row in one block the products are the composition's own and the results
    /// are its results to the bit. With several, they agree to rounding only: BLAS picks
    /// its kernels by a product's size, so a block's logits may round differently from the
    /// same rows inside one product over all N, and W's gradient adds the blocks' products
    /// in another grouping than one product over all rows does.
    public static func linearCrossEntropy(_ x: Tensor, weight: Tensor, bias: Tensor?, targets: [Int],
                                          smoothing ε: Float = 0, scale s: Float,
                                          blockRows: Int = 512) -> Tensor {
        let (n, f, v) = (x.rows, x.columns, weight.shape[0])
        precondition(weight.shape == [v, f] && (bias?.shape ?? [v]) == [v],
                     "linearCrossEntropy: weights \(weight.shape) and bias \(bias?.shape ?? []) for inputs \(x.shape)")
        precondition(targets.count == n, "linearCrossEntropy: \(targets.count) targets for \(n) rows")
        for t in targets { precondition(t >= 0 && t < v, "linearCrossEntropy: target \(t) outside 0..<\(v)") }
        let needsGrad = x.requiresGrad || weight.requiresGrad || (bias?.requiresGrad ?? false)
        var losses = [Float](repeating: 0, count: n)
        // Every value of dx is written by its block's product, every value of dW by the
        // first block's and every logit of a block by its forward product (beta = 0), so
        // none is filled with zeros first (30 MB for dW at the Multi30k size and 12 MB for
        // the block, at every step).
        var dx = x.requiresGrad ? unwrittenArray(count: n * f, writtenBelow: n > 0) : []
        var dw = weight.requiresGrad ? unwrittenArray(count: v * f, writtenBelow: n > 0) : []
        var db = bias?.requiresGrad == true ? [Float](repeating: 0, count: v) : []
        var block = unwrittenArray(count: min(blockRows, n) * v, writtenBelow: n > 0)
        let uniform = ε / Float(v)
        x.data.withUnsafeBufferPointer { px in
            weight.data.withUnsafeBufferPointer { pw in
                block.withUnsafeMutableBufferPointer { logits in
                    losses.withUnsafeMutableBufferPointer { losses in
                        for first in stride(from: 0, to: n, by: blockRows) {
                            let m = min(blockRows, n - first)
                            let xBlock = px.baseAddress! + first * f
                            gemm(xBlock, transposeA: false, pw.baseAddress!, transposeB: true, logits.baseAddress!,
                                 m: m, n: v, k: f)
                            if let bias { addRow(bias.data, to: logits.baseAddress!, rows: m) }
                            forEachRowRange(m, costPerRow: 2 * v) { rows in
                                for r in rows {
                                    let row = logits.baseAddress! + r * v, target = targets[first + r]
                                    guard needsGrad else {
                                        losses[first + r] = smoothedCrossEntropy(
                                            row, count: v, target: target, smoothing: ε,
                                            logSumExp: rowLogSumExp(row, count: v))
                                        continue
                                    }
                                    // The loss's parts are read before the exponentials
                                    // take the logits' place, to be read once more, as the
                                    // softmax exp(x_c − m) / Σ.
                                    let targetLogit = row[target], logitSum = ε == 0 ? 0 : rowSum(row, count: v)
                                    let sum = exponentiateRow(row, count: v)
                                    losses[first + r] = smoothedCrossEntropy(
                                        logSumExp: sum.logSumExp, targetLogit: targetLogit,
                                        logitSum: logitSum, count: v, smoothing: ε)
                                    let inverse = 1 / sum.total
                                    for c in 0..<v { row[c] = s * (row[c] * inverse - uniform) }
                                    row[target] -= s * (1 - ε)
                                }
                            }
                            guard needsGrad else { continue }
                            if !dx.isEmpty {
                                dx.withUnsafeMutableBufferPointer { dx in
                                    gemm(logits.baseAddress!, transposeA: false, pw.baseAddress!, transposeB: false,
                                         dx.baseAddress! + first * f, m: m, n: f, k: v)
                                }
                            }
                            if !dw.isEmpty {
                                dw.withUnsafeMutableBufferPointer { dw in
                                    gemm(logits.baseAddress!, transposeA: true, xBlock, transposeB: false,
                                         dw.baseAddress!, m: v, n: f, k: m, beta: first == 0 ? 0 : 1)
                                }
                            }
                            if !db.isEmpty {
                                // Through pointers, which the compiler can vectorise: the
                                // array's subscript kept it to one value at a time.
                                db.withUnsafeMutableBufferPointer { db in
                                    for r in 0..<m {
                                        let row = logits.baseAddress! + r * v
                                        for c in 0..<v { db[c] += row[c] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let loss = s * losses.reduce(0, +)
        let inputs = [x, weight] + (bias.map { [$0] } ?? [])
        return Tensor(shape: [], data: [loss], inputs: inputs) { g in
            let upstream = g[0]
            func scaled(_ d: [Float]) -> [Float] { upstream == 1 ? d : d.map { upstream * $0 } }
            if !dx.isEmpty { x.accumulate(scaled(dx)) }
            if !dw.isEmpty { weight.accumulate(scaled(dw)) }
            if !db.isEmpty { bias!.accumulate(scaled(db)) }
        }
    }
}

/// An array of `count` values that the code after will write every one of, left as the
/// allocator gives it; zeros when `writtenBelow` is false (nothing will be written).
private func unwrittenArray(count: Int, writtenBelow: Bool) -> [Float] {
    guard writtenBelow else { return [Float](repeating: 0, count: count) }
    return [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}
