/// Matrix products, forward and backward, through `gemm`.

extension Tensor {
    /// `op(a) · op(b)`, where `op` transposes when asked. `a` may have leading axes when it
    /// is not transposed (they are rows); `b` is a matrix.
    ///
    /// For `C = op(A) op(B)` the gradients are two more products with transpose flags
    /// (no copies): `dA = dC op(B)ᵀ` (or `op(B) dCᵀ` when A is stored transposed) and
    /// `dB = op(A)ᵀ dC` (or `dCᵀ op(A)` when B is stored transposed). B is usually a
    /// weight matrix, used at every step of a recurrence: its product is added into its
    /// gradient by `accumulateProduct`.
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
                if transposeB {
                    b.accumulateProduct(dC, transposeA: true, a.data, transposeB: transposeA, m: n, n: k, k: m)
                } else {
                    b.accumulateProduct(a.data, transposeA: !transposeA, dC, transposeB: false, m: k, n: n, k: m)
                }
            }
        }
    }

    /// The affine map `x Wᵀ + b` of every row of `x` [..., in], for weights W [out, in] as
    /// PyTorch stores them and a bias b [out]: `matmul(x, W, transposeB: true) + b` as one op.
    ///
    /// The bias is added into the product's own output, so a layer keeps one [..., out]
    /// tensor for backward instead of two (the product and the sum), and the values are
    /// bitwise the composition's. Backward is the two products of `matmul` and, for b, the
    /// sum of the rows of the output's gradient.
    ///
    /// With `packed`, a copy of W packed for small products (`PackedWeight`), x Wᵀ comes
    /// from it, and dx = dy W from its packed transpose when it has one: a recurrence
    /// multiplies a few dozen rows by the same W at every step, forwards and backwards,
    /// and OpenBLAS would pack W again at every call (`weightProduct`). The packed kernel
    /// sums in its own order, so the values are the unpacked op's only up to rounding.
    public static func affine(_ x: Tensor, _ w: Tensor, _ b: Tensor, packed: PackedWeight? = nil) -> Tensor {
        precondition(w.shape.count == 2 && x.columns == w.shape[1] && b.shape == [w.shape[0]]
                     && (packed.map { $0.outputs == w.shape[0] && $0.inputs == w.shape[1] } ?? true),
                     "affine: \(x.shape) · \(w.shape)ᵀ + \(b.shape)")
        let (m, n, k) = (x.rows, w.shape[0], x.columns)
        let out = uninitializedArray(count: m * n) { y in
            weightProduct(x.data, weight: w, packed: packed, y, m: m, n: n, k: k)
            addRow(b.data, to: y, rows: m)
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [n], data: out, inputs: [x, w, b]) { dY in
            accumulateAffineGradients(dY, x: x, w: w, b: b, packed: packed)
        }
    }

    /// `x Wᵀ + b` (b optional) outside any graph, for a search, from W [out, in] and a copy
    /// of it packed for small products (`weightProduct`). The result is a constant: no
    /// gradient reaches x or the weights.
    public static func affineForDecoding(_ x: Tensor, weight w: Tensor, packed: PackedWeight,
                                         bias b: Tensor?) -> Tensor {
        let (m, k, n) = (x.rows, x.columns, packed.outputs)
        precondition(w.shape == [n, k] && packed.inputs == k && (b?.shape ?? [n]) == [n],
                     "affineForDecoding: \(x.shape) · \(w.shape)ᵀ + \(b?.shape ?? [])")
        let out = uninitializedArray(count: m * n) { y in
            weightProduct(x.data, weight: w, packed: packed, y, m: m, n: n, k: k)
            if let b { addRow(b.data, to: y, rows: m) }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [n], data: out)
    }

    /// The backward pass of y = x Wᵀ + b from dy [rows, out], into every input that takes
    /// part: db = Σ_rows dy (summed row after row, as `+` sums a broadcast bias),
    /// dx = dy W and dW = dyᵀ x, the products `matmul`'s backward forms (dW added by
    /// `accumulateProduct`; dx from the packed transpose of W when `packed` has one).
    static func accumulateAffineGradients(_ dY: [Float], x: Tensor, w: Tensor, b: Tensor,
                                          packed: PackedWeight? = nil) {
        let (m, n, k) = (x.rows, w.shape[0], x.columns)
        b.accumulateIfNeeded(sumRepeats(dY, block: n))
        if x.requiresGrad {
            x.accumulate(uninitializedArray(count: m * k) { dX in
                if let transposed = packed?.transposed {
                    dY.withUnsafeBufferPointer { transposed.product($0.baseAddress!, dX, rows: m) }
                } else {
                    gemm(dY, transposeA: false, w.data, transposeB: false, dX, m: m, n: k, k: n)
                }
            })
        }
        if w.requiresGrad {
            w.accumulateProduct(dY, transposeA: true, x.data, transposeB: false, m: n, n: k, k: m)
        }
    }

    /// A batch of independent products `op(a) · op(b)`, one for every index of the leading
    /// axes the two share: `a` is [..., M, K] ([..., K, M] with `transposeA`), `b` is
    /// [..., K, N] ([..., N, K] with `transposeB`), the result [..., M, N]. Attention uses it
    /// per sentence and head: energies Q Kᵀ from [B, k, Tq, dh] and [B, k, Tk, dh], the
    /// context from the weights [B, k, Tq, Tk] and V [B, k, Tk, dh].
    ///
    /// Backward is `matmul`'s, product by product: two more batched products with
    /// transpose flags, no copies.
    public static func batchedMatmul(_ a: Tensor, _ b: Tensor,
                                     transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        let batchShape = Array(a.shape.dropLast(2))
        precondition(a.shape.count >= 2 && b.shape.count == a.shape.count && Array(b.shape.dropLast(2)) == batchShape,
                     "batchedMatmul: shapes \(a.shape) and \(b.shape)")
        let rank = a.shape.count
        let (m, k) = transposeA ? (a.shape[rank - 1], a.shape[rank - 2]) : (a.shape[rank - 2], a.shape[rank - 1])
        let (kb, n) = transposeB ? (b.shape[rank - 1], b.shape[rank - 2]) : (b.shape[rank - 2], b.shape[rank - 1])
        precondition(k == kb, "batchedMatmul: inner sizes differ, \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        let batch = batchShape.reduce(1, *)
        let out = batchedGemm(a.data, transposeA: transposeA, b.data, transposeB: transposeB,
                              batch: batch, m: m, n: n, k: k)
        return Tensor(shape: batchShape + [m, n], data: out, inputs: [a, b]) { dC in
            if a.requiresGrad {
                a.accumulate(transposeA
                    ? batchedGemm(b.data, transposeA: transposeB, dC, transposeB: true, batch: batch, m: k, n: m, k: n)
                    : batchedGemm(dC, transposeA: false, b.data, transposeB: !transposeB, batch: batch, m: m, n: k, k: n))
            }
            if b.requiresGrad {
                b.accumulate(transposeB
                    ? batchedGemm(dC, transposeA: true, a.data, transposeB: transposeA, batch: batch, m: n, n: k, k: m)
                    : batchedGemm(a.data, transposeA: !transposeA, dC, transposeB: false, batch: batch, m: k, n: n, k: m))
            }
        }
    }

    /// `batch` products `op(A_i) op(B_i)` of m×k by k×n matrices stored one after the other,
    /// into a new array of `batch` m×n results.
    private static func batchedGemm(_ a: [Float], transposeA: Bool, _ b: [Float], transposeB: Bool,
                                    batch: Int, m: Int, n: Int, k: Int) -> [Float] {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                uninitializedArray(count: batch * m * n) { pc in
                    for i in 0..<batch {
                        gemm(pa.baseAddress! + i * m * k, transposeA: transposeA,
                             pb.baseAddress! + i * k * n, transposeB: transposeB,
                             pc + i * m * n, m: m, n: n, k: k)
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The largest inner size for which `accumulateProduct` lets BLAS add the product into
    /// the gradient itself. OpenBLAS cuts a product's inner dimension into blocks of a few
    /// hundred (its GEMM_Q: 256 or more for every x86 kernel family) and adds each block's
    /// share into C in turn; up to one block, every value of the product is formed whole,
    /// in registers, and added into C once, exactly as `accumulate` adds it afterwards.
    static let innerSizeAddedWhole = 128

    /// Adds the product op(A) op(B) [m, n] into this tensor's gradient, as
    /// `accumulate(A · B)` does, but without a separate array for the product when the
    /// gradient already exists and k ≤ `innerSizeAddedWhole`: BLAS forms G + A·B in place
    /// (beta = 1).
    ///
    /// Why: a recurrence's weight gradient dW = Σ_t dz_tᵀ h_t is one product per step with
    /// an inner size of the batch's rows. Each took a fresh array of W's size, filled with
    /// zeros by BLAS (beta = 0), then added into dW: three passes over megabytes for a
    /// product of a few dozen terms per value. In place there is one. Each value is still
    /// g + (Σ_k a b), its product summed whole before it is added, so the gradient is bitwise
    /// the one `accumulate` gives (a test checks it against this machine's BLAS). A
    /// one-row or one-column product goes to a matrix–vector kernel, which adds into C as
    /// it goes, and keeps the separate array.
    func accumulateProduct(_ a: [Float], transposeA: Bool, _ b: [Float], transposeB: Bool,
                           m: Int, n: Int, k: Int) {
        precondition(m * n == count, "accumulateProduct: a \(m)×\(n) product into \(shape)")
        guard grad != nil, k <= Self.innerSizeAddedWhole, m > 1, n > 1 else {
            accumulate(uninitializedArray(count: m * n) {
                gemm(a, transposeA: transposeA, b, transposeB: transposeB, $0, m: m, n: n, k: k)
            })
            return
        }
        grad!.withUnsafeMutableBufferPointer { g in
            gemm(a, transposeA: transposeA, b, transposeB: transposeB, g.baseAddress!, m: m, n: n, k: k, beta: 1)
        }
    }
}

/// y = x Wᵀ for x [m, k] and W [n, k]: from `packed`, the copy a search keeps; from W
/// itself, by OpenBLAS, without a copy.
///
/// OpenBLAS packs the whole weight matrix into its own layout at every call, and for a
/// decoding step's few dozen rows the packing costs about as much as the product
/// (`PackedWeight`). One row, a sentence decoded alone, goes through the packed copy too
/// (`PackedWeight.vectorProduct`): it streams the matrix faster than OpenBLAS's
/// matrix–vector product, and sums in the order a batch's rows are summed.
func weightProduct(_ x: UnsafePointer<Float>, weight w: Tensor, packed: PackedWeight?,
                   _ y: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int) {
    if let packed {
        packed.product(x, y, rows: m)
    } else {
        gemm(x, transposeA: false, w.data, transposeB: true, y, m: m, n: n, k: k)
    }
}
