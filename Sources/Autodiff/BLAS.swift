import CBLAS

/// The one place that talks to BLAS.
///
/// `C = alpha * op(A) * op(B) + beta * C` for row-major matrices, where `op(X)` is `X` or
/// its transpose: `op(A)` is m×k, `op(B)` is k×n, `C` is m×n. Transposition is a flag
/// handed to `cblas_sgemm`, so no operand is ever copied.
@inline(__always)
func gemm(
    _ a: UnsafePointer<Float>, transposeA: Bool,
    _ b: UnsafePointer<Float>, transposeB: Bool,
    _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0
) {
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha,
                a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c, Int32(max(n, 1)))
}

/// Sets the number of threads OpenBLAS uses for matrix products.
public func setBLASThreads(_ n: Int) {
    openblas_set_num_threads(Int32(n))
}
