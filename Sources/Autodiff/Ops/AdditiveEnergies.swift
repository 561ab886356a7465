/// The energies of additive attention, v · tanh(key + query), without keeping the tanh.

extension Tensor {
    /// `e_{r·n+k} = v · tanh(a_{r·n+k} + b_r)` for every row r of `b` [R, d] and each of
    /// the n rows of `a` [R·n, d] that follow from it, with `v` [1, d]: the result [R·n, 1]
    /// is `matmul((a + b.repeatingRows(n)).tanh(), v, transposeB: true)` in one op.
    ///
    /// Bahdanau attention scores every source position j against the decoder's query at
    /// every step, e_tj = v_a · tanh(U_a h_j + b_a + W_a s_{t-1}). Composed, each step keeps
    /// the hidden layer y = tanh(…) [R·n, d] (and, before it, the repeated query and the
    /// sum) until backward: for a batch of long sentences, more memory than the rest of
    /// the decoder. Here y lives only while it is used: the forward pass computes it, takes
    /// the energies and lets it go; backward computes it again, one tanh per value, much
    /// less work than the products around it. With dy = g vᵀ and dz = dy ⊙ (1 − y²):
    ///
    ///     dv = gᵀ y        da = dz        db_r = Σ_k dz_{r·n+k}
    ///
    /// Every value is computed by the same instructions, in the same order, as the
    /// composition computes it (the products by the same BLAS calls), so the results are
    /// bitwise the same.
    public static func additiveEnergies(_ a: Tensor, repeatedRows b: Tensor, weights v: Tensor) -> Tensor {
        let d = b.columns, rows = b.rows
        precondition(a.columns == d && rows > 0 && a.rows % rows == 0,
                     "additiveEnergies: \(a.shape) is not rows of \(b.shape) repeated")
        precondition(v.shape == [1, d], "additiveEnergies: weights \(v.shape) for \(d) features")
        let n = a.rows / rows, count = a.rows
        let energies = hiddenLayer(a, b, repeats: n).withUnsafeBufferPointer { y in
            uninitializedArray(count: count) {
                gemm(y.baseAddress!, transposeA: false, v.data, transposeB: true, $0, m: count, n: 1, k: d)
            }
        }
        return Tensor(shape: [count, 1], data: energies, inputs: [a, b, v]) { g in
            let y = hiddenLayer(a, b, repeats: n)
            if v.requiresGrad {
                v.accumulate(uninitializedArray(count: d) {
                    gemm(g, transposeA: true, y, transposeB: false, $0, m: 1, n: d, k: count)
                })
            }
            guard a.requiresGrad || b.requiresGrad else { return }
            // dy_rc = g_r v_c, the one-term product BLAS forms for an inner size of 1.
            let dz = y.withUnsafeBufferPointer { y in
                v.data.withUnsafeBufferPointer { v in
                    uninitializedArray(count: count * d) { dz in
                        forEachRowRange(count, costPerRow: 4 * d) { range in
                            for r in range {
                                for c in 0..<d { dz[r * d + c] = (g[r] * v[c]) * (1 - y[r * d + c] * y[r * d + c]) }
                            }
                        }
                    }
                }
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

    /// tanh(a_{r·n+k} + b_r) for every row of `a`, rows shared among the threads.
    private static func hiddenLayer(_ a: Tensor, _ b: Tensor, repeats n: Int) -> [Float] {
        let d = b.columns
        return a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                uninitializedArray(count: a.count) { py in
                    forEachRowRange(a.rows, costPerRow: 16 * d) { range in
                        for row in range {
                            // Pointers to the rows, so that the loop's indices are plain
                            // counters and it vectorises.
                            let (y, key, query) = (py + row * d, pa.baseAddress! + row * d,
                                                   pb.baseAddress! + (row / n) * d)
                            for c in 0..<d { y[c] = fastTanh(key[c] + query[c]) }
                        }
                    }
                }
            }
        }
    }
}
