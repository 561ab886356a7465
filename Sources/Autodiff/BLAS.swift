import CBLAS

/// The one place that talks to BLAS.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, where `op(X)` is `X` or
/// its transpose: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n. Transposition is a flag
/// handed to BLAS, so no operand is ever copied.
///
/// A product with one row or one column (m = 1 or n = 1) is a matrix–vector product and
/// goes to `cblas_sgemv`: `sgemm` would first copy the whole matrix into its packed layout,
/// which costs more than the product itself when the other side is a single vector (one
/// sentence's step by a weight no packed copy is kept of, the attention energies
/// v_a · tanh(…), a context Σ_j α_tj h_j).
@inline(__always)
func gemm(
    _ a: UnsafePointer<Float>, transposeA: Bool,
    _ b: UnsafePointer<Float>, transposeB: Bool,
    _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
) {
    _ = blasStartsOnOneThread
    if k == 0 {
        // An empty sum: C = beta C, spelled out because BLAS may return at once.
        for i in 0..<(m * n) { c[i] = beta == 0 ? 0 : beta * c[i] }
        return
    }
    if m == 1 {
        // c = op(B)ᵀ a, with B stored [n, k] when transposed and [k, n] when not.
        cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                    Int32(transposeB ? n : k), Int32(transposeB ? k : n), alpha,
                    b, Int32(max(transposeB ? k : n, 1)), a, 1, beta, c, 1)
        return
    }
    if n == 1 {
        // c = op(A) b, with A stored [k, m] when transposed and [m, k] when not.
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
                    Int32(transposeA ? k : m), Int32(transposeA ? m : k), alpha,
                    a, Int32(max(transposeA ? m : k, 1)), b, 1, beta, c, 1)
        return
    }
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c, Int32(max(n, 1)))
}

/// A new array of `count` values, all written by `body` (a product with beta 0; BLAS
/// never reads C then), without first filling it with zeros.
func uninitializedArray(count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    _ = allocatorKeepsFreedMemory
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if count > 0 { body(buffer.baseAddress!) }
        initialized = count
    }
}
