/// tanh of a sum with a row repeated: the hidden layer of an additive alignment model.

extension Tensor {
    /// `tanh(a_{r·n+k} + b_r)` for every row r of `b` [R, d] and each of the n rows of `a`
    /// [R·n, d] that follow from it: `(a + b.repeatingRows(n)).tanh()` in one op.
    ///
    /// Bahdanau attention scores every source position j of sentence r against the
    /// decoder's query at every step, tanh(U_a h_j + b_a + W_a s): composed from three
    /// ops, each step would keep three [R·n, d] tensors for backward (the repeated query,
    /// the sum and its tanh), and at a training batch's size those are most of the
    /// memory the decoder holds. Only the output y is needed: with dz = dy ⊙ (1 − y²),
    /// da = dz and db_r = Σ_k dz_{r·n+k}.
    ///
    /// Every value is computed by the same instructions, in the same order, as the
    /// composition computes it, so the results are bitwise the same.
    public static func tanhOfSum(_ a: Tensor, repeatedRows b: Tensor) -> Tensor {
        let d = b.columns, rows = b.rows
        precondition(a.columns == d && rows > 0 && a.rows % rows == 0,
                     "tanhOfSum: \(a.shape) is not rows of \(b.shape) repeated")
        let n = a.rows / rows
        let y = a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                uninitializedArray(count: a.count) { py in
                    forEachRowRange(rows * n, costPerRow: 16 * d) { range in
                        for row in range {
                            let (base, bBase) = (row * d, (row / n) * d)
                            for c in 0..<d { py[base + c] = fastTanh(pa[base + c] + pb[bBase + c]) }
                        }
                    }
                }
            }
        }
        return Tensor(shape: a.shape, data: y, inputs: [a, b]) { g in
            let dz = [Float](unsafeUninitializedCapacity: g.count) { dz, initialized in
                for i in 0..<g.count { dz[i] = g[i] * (1 - y[i] * y[i]) }
                initialized = g.count
            }
            if b.requiresGrad {
                var db = [Float](repeating: 0, count: b.count)
                for r in 0..<rows {
                    for k in 0..<n {
                        for c in 0..<d { db[r * d + c] += dz[(r * n + k) * d + c] }
                    }
                }
                b.accumulate(db)
            }
            a.accumulateIfNeeded(dz)
        }
    }
}
