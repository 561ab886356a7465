/// Matrix products, forward and backward, through `gemm`.

extension Tensor {
    /// `op(a) · op(b)`, where `op` transposes when asked. `a` may have leading axes when it
    /// is not transposed (they are rows); `b` is a matrix.
    ///
    /// For `C = op(A) op(B)` the gradients are two more products with transpose flags
    /// (no copies): `dA = dC op(B)ᵀ` (or `op(B) dCᵀ` when A is stored transposed) and
    /// `dB = op(A)ᵀ dC` (or `dCᵀ op(A)` when B is stored transposed).
    public static func matmul(_ a: Tensor, _ b: Tensor,
                              transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(b.shape.count == 2, "matmul: b must be a matrix, got shape \(b.shape)")
        precondition(!transposeA || a.shape.count == 2, "matmul: a transposed must be a matrix")
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == kb, "matmul: inner sizes differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let out = uninitializedArray(count: m * n) {
            gemm(a.data, transposeA: transposeA, b.data, transposeB: transposeB, $0, m: m, n: n, k: k)
        }
        let shape = transposeA ? [m, n] : Array(a.shape.dropLast()) + [n]
        return Tensor(shape: shape, data: out, inputs: [a, b]) { dC in
            if a.requiresGrad {
                a.accumulate(uninitializedArray(count: m * k) { dA in
                    if transposeA {
                        gemm(b.data, transposeA: transposeB, dC, transposeB: true, dA, m: k, n: m, k: n)
                    } else {
                        gemm(dC, transposeA: false, b.data, transposeB: !transposeB, dA, m: m, n: k, k: n)
                    }
                })
            }
            if b.requiresGrad {
                b.accumulate(uninitializedArray(count: k * n) { dB in
                    if transposeB {
                        gemm(dC, transposeA: true, a.data, transposeB: transposeA, dB, m: n, n: k, k: m)
                    } else {
                        gemm(a.data, transposeA: !transposeA, dC, transposeB: false, dB, m: k, n: n, k: m)
                    }
                })
            }
        }
    }

    /// A batch of independent products: `a` is [B, M, K], `b` is [B, K, N], the result
    /// [B, M, N] (with `transposeB`, `b` is [B, N, K]). Attention uses it to take, for
    /// every sentence, the weighted sum of its encoder states.
    public static func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) -> Tensor {
        precondition(a.shape.count == 3 && b.shape.count == 3 && a.shape[0] == b.shape[0],
                     "batchedMatmul: shapes \(a.shape) and \(b.shape)")
        let (batch, m, k) = (a.shape[0], a.shape[1], a.shape[2])
        let (kb, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(k == kb, "batchedMatmul: inner sizes differ, \(a.shape) · \(b.shape)")
        var out = [Float](repeating: 0, count: batch * m * n)
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        gemm(pa.baseAddress! + i * m * k, transposeA: false,
                             pb.baseAddress! + i * k * n, transposeB: transposeB,
                             pc.baseAddress! + i * m * n, m: m, n: n, k: k)
                    }
                }
            }
        }
        return Tensor(shape: [batch, m, n], data: out, inputs: [a, b]) { dC in
            var dA = [Float](repeating: 0, count: a.count)
            var dB = [Float](repeating: 0, count: b.count)
            dC.withUnsafeBufferPointer { pc in
                a.data.withUnsafeBufferPointer { pa in
                    b.data.withUnsafeBufferPointer { pb in
                        dA.withUnsafeMutableBufferPointer { da in
                            dB.withUnsafeMutableBufferPointer { db in
                                for i in 0..<batch {
                                    let c = pc.baseAddress! + i * m * n
                                    let ai = pa.baseAddress! + i * m * k, bi = pb.baseAddress! + i * k * n
                                    if a.requiresGrad {
                                        gemm(c, transposeA: false, bi, transposeB: !transposeB,
                                             da.baseAddress! + i * m * k, m: m, n: k, k: n)
                                    }
                                    if b.requiresGrad {
                                        if transposeB {
                                            gemm(c, transposeA: true, ai, transposeB: false,
                                                 db.baseAddress! + i * k * n, m: n, n: k, k: m)
                                        } else {
                                            gemm(ai, transposeA: true, c, transposeB: false,
                                                 db.baseAddress! + i * k * n, m: k, n: n, k: m)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            a.accumulateIfNeeded(dA)
            b.accumulateIfNeeded(dB)
        }
    }
}
