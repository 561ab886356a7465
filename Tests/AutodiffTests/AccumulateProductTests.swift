/// A product added into a gradient in place (beta = 1) against the product formed apart
/// and then added.

import Testing
@testable import Autodiff

struct AccumulateProductTests {
    /// The gradient `accumulate` gives from a separate product, g + (A·B), computed here.
    private func addedApart(_ g: [Float], _ a: Tensor, transposeA: Bool, _ b: Tensor, transposeB: Bool,
                            m: Int, n: Int, k: Int) -> [Float] {
        let product = uninitializedArray(count: m * n) {
            gemm(a.data, transposeA: transposeA, b.data, transposeB: transposeB, $0, m: m, n: n, k: k)
        }
        return zip(g, product).map { $0 + $1 }
    }

    /// Bitwise the same as adding the separate product, for the shapes of a recurrence's
    /// weight gradients (dW_hh = dzᵀ h: many rows, an inner size of the batch's rows, up
    /// to `innerSizeAddedWhole`), with either operand transposed.
    ///
    /// OpenBLAS's products round differently on one thread and on two, and other tests
    /// change the thread count while these run; every product here is small enough
    /// (m·n·k ≤ 2¹⁸) for OpenBLAS to keep it on one thread whatever the count.
    @Test(arguments: [(256, 32, 32, true, false), (128, 64, 32, false, false), (32, 64, 128, false, true),
                      (37, 41, 5, false, false), (5, 3, 128, true, true)])
    func equalsTheProductAddedApart(shape: (m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool)) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var generator = SeededGenerator(seed: 60)
        let a = randomTensor(shape.transposeA ? [k, m] : [m, k], &generator)
        let b = randomTensor(shape.transposeB ? [n, k] : [k, n], &generator)
        let start = randomTensor([m, n], &generator).data
        let w = Tensor(shape: [m, n], data: [Float](repeating: 0, count: m * n), requiresGrad: true)
        w.grad = start
        w.accumulateProduct(a.data, transposeA: shape.transposeA, b.data, transposeB: shape.transposeB,
                            m: m, n: n, k: k)
        let expected = addedApart(start, a, transposeA: shape.transposeA, b, transposeB: shape.transposeB,
                                  m: m, n: n, k: k)
        let same = w.grad! == expected
        #expect(same, "\(shape)")
    }

    /// Ten steps' products summed into one gradient, as a recurrence's backward does: the
    /// first one taken as it is, the others added in place, to the bit of the sum of the
    /// separate products.
    @Test func aRecurrenceSumsItsStepsAsBefore() {
        var generator = SeededGenerator(seed: 61)
        let (m, n, k) = (256, 32, 32)
        let w = Tensor(shape: [m, n], data: [Float](repeating: 0, count: m * n), requiresGrad: true)
        var expected: [Float]? = nil
        for _ in 0..<10 {
            let dz = randomTensor([k, m], &generator), h = randomTensor([k, n], &generator)
            w.accumulateProduct(dz.data, transposeA: true, h.data, transposeB: false, m: m, n: n, k: k)
            let zero = [Float](repeating: 0, count: m * n)
            let product = addedApart(zero, dz, transposeA: true, h, transposeB: false, m: m, n: n, k: k)
            expected = expected.map { zip($0, product).map { $0 + $1 } } ?? product
        }
        let same = w.grad! == expected!
        #expect(same)
    }

    /// Where BLAS would not add the product whole (an inner size past one block) or would
    /// add it as it goes (a single row or column), the product is formed apart: the same
    /// as `accumulate` gives, whatever BLAS does in place.
    @Test(arguments: [(16, 16, 1000), (1, 300, 16), (300, 1, 16)])
    func largeOrThinProductsAreFormedApart(shape: (m: Int, n: Int, k: Int)) {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        var generator = SeededGenerator(seed: 62)
        let a = randomTensor([m, k], &generator), b = randomTensor([k, n], &generator)
        let start = randomTensor([m, n], &generator).data
        let w = Tensor(shape: [m, n], data: [Float](repeating: 0, count: m * n), requiresGrad: true)
        w.grad = start
        w.accumulateProduct(a.data, transposeA: false, b.data, transposeB: false, m: m, n: n, k: k)
        let same = w.grad! == addedApart(start, a, transposeA: false, b, transposeB: false, m: m, n: n, k: k)
        #expect(same, "\(shape)")
    }
}
