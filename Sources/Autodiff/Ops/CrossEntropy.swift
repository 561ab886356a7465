/// Log-softmax and negative log-likelihood fused in one op.

extension Tensor {
    /// The negative log-likelihood of `targets` under `softmax(logits)`, for logits of
    /// shape [N, V] and N target ids. Rows whose target is `ignoring` (padding) add
    /// nothing. Returns one loss per row, [N] (0 for ignored rows).
    ///
    /// Fusing the two steps is both stable (log-sum-exp with the row maximum subtracted)
    /// and cheap in backward: d loss_r / d logits_r = softmax(logits_r) − q_r, the softmax
    /// taken as exp(x_c − m) / Σ with the row's largest logit m and the sum Σ of forward,
    /// as `linearCrossEntropy` takes it.
    ///
    /// With label smoothing ε (Szegedy et al., 2016) the target distribution q_r is not
    /// one-hot but (1 − ε) on the target word and ε spread evenly over all V words, which
    /// keeps the model from becoming over-confident:
    ///     loss_r = (1 − ε) (lse_r − x_r,target) + ε (lse_r − mean_c x_r,c).
    public static func crossEntropy(logits: Tensor, targets: [Int], ignoring: Int,
                                    smoothing ε: Float = 0) -> Tensor {
        let v = logits.columns, n = logits.rows
        precondition(targets.count == n, "crossEntropy: \(targets.count) targets for \(n) rows")
        for r in 0..<n where targets[r] != ignoring {
            precondition(targets[r] >= 0 && targets[r] < v, "crossEntropy: target \(targets[r]) outside 0..<\(v)")
        }
        var losses = [Float](repeating: 0, count: n)
        // Each row's largest logit m and 1 / Σ_c exp(x_c − m), its softmax's normaliser.
        var largest = [Float](repeating: 0, count: n), inverse = [Float](repeating: 0, count: n)
        // Rows are independent, so they are shared among the threads.
        logits.data.withUnsafeBufferPointer { x in
            losses.withUnsafeMutableBufferPointer { losses in
                largest.withUnsafeMutableBufferPointer { largest in
                    inverse.withUnsafeMutableBufferPointer { inverse in
                        forEachRowRange(n, costPerRow: v) { rows in
                            for r in rows where targets[r] != ignoring {
                                let row = x.baseAddress! + r * v
                                let sum = rowExponentialSum(row, count: v)
                                (largest[r], inverse[r]) = (sum.largest, 1 / sum.total)
                                losses[r] = smoothedCrossEntropy(row, count: v, target: targets[r], smoothing: ε,
                                                                 logSumExp: sum.logSumExp)
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n], data: losses, inputs: [logits]) { g in
            // Every row is written below, so the gradient needs no zero fill first.
            let d = [Float](unsafeUninitializedCapacity: logits.count) { d, initialized in
                logits.data.withUnsafeBufferPointer { x in
                    forEachRowRange(n, costPerRow: v) { rows in
                        for r in rows {
                            let row = x.baseAddress! + r * v, dRow = d.baseAddress! + r * v
                            guard targets[r] != ignoring && g[r] != 0 else {
                                dRow.initialize(repeating: 0, count: v)
                                continue
                            }
                            let uniform = ε / Float(v)
                            for c in 0..<v { dRow[c] = g[r] * (exponential(row[c] - largest[r]) * inverse[r] - uniform) }
                            dRow[targets[r]] -= g[r] * (1 - ε)
                        }
                    }
                }
                initialized = logits.count
            }
            logits.accumulate(d)
        }
    }

    /// The mean negative log-likelihood over the rows whose target is not `ignoring`:
    /// the training loss, averaged per real target token.
    public static func meanCrossEntropy(logits: Tensor, targets: [Int], ignoring: Int) -> Tensor {
        let tokens = targets.filter { $0 != ignoring }.count
        return (1 / Float(max(tokens, 1))) * crossEntropy(logits: logits, targets: targets, ignoring: ignoring).sum()
    }
}

/// One row's loss, lse − (1 − ε) x_target − ε mean_c x_c: the two terms of the smoothed
/// cross-entropy above, with lse its log-sum-exp. Without smoothing the mean is not
/// taken: it would be multiplied by 0.
@inline(__always)
func smoothedCrossEntropy(_ row: UnsafePointer<Float>, count v: Int, target: Int, smoothing ε: Float,
                          logSumExp: Float) -> Float {
    smoothedCrossEntropy(logSumExp: logSumExp, targetLogit: row[target],
                         logitSum: ε == 0 ? 0 : rowSum(row, count: v), count: v, smoothing: ε)
}

/// The same loss from its parts: the target's logit and, with smoothing, the sum of the
/// row's `count` logits.
@inline(__always)
func smoothedCrossEntropy(logSumExp: Float, targetLogit: Float, logitSum: Float, count v: Int,
                          smoothing ε: Float) -> Float {
    let smoothingTerm = ε == 0 ? 0 : ε * logitSum / Float(v)
    return logSumExp - (1 - ε) * targetLogit - smoothingTerm
}

/// Σ_c row[c], as eight running sums (value c into sum c mod 8) added at the end, as
/// `rowLogSumExp` sums its exponentials. One running sum is a chain of additions, each
/// waiting for the last; over a vocabulary of 6,000 words it took as long as the row's
/// log-sum-exp. The eight sums differ from it only by rounding.
func rowSum(_ row: UnsafePointer<Float>, count: Int) -> Float {
    let whole = count - count % 8
    var totalByLane = SIMD8<Float>()
    addLanes(row, count: whole, to: &totalByLane)
    var total = totalByLane.sum()
    for c in whole..<count { total += row[c] }
    return total
}
