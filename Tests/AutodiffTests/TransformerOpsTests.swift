/// The values (not only the gradients) of the ops a Transformer adds to the engine.

import Testing
@testable import Autodiff

struct TransformerOpsTests {
    /// Each product of a batch with two leading axes is bitwise the plain `matmul` of its
    /// own two matrices, whichever side is transposed.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func batchedProductsAreThePlainProductOfEachPair(transposeA: Bool, transposeB: Bool) {
        var generator = SeededGenerator(seed: 21)
        let (m, k, n) = (3, 5, 4)
        let a = randomTensor([2, 3] + (transposeA ? [k, m] : [m, k]), &generator)
        let b = randomTensor([2, 3] + (transposeB ? [n, k] : [k, n]), &generator)
        let c = Tensor.batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [2, 3, m, n])
        for i in 0..<6 {
            let ai = Tensor(shape: transposeA ? [k, m] : [m, k], data: Array(a.data[(i * m * k)..<((i + 1) * m * k)]))
            let bi = Tensor(shape: transposeB ? [n, k] : [k, n], data: Array(b.data[(i * k * n)..<((i + 1) * k * n)]))
            let ci = Tensor.matmul(ai, bi, transposeA: transposeA, transposeB: transposeB)
            #expect(Array(c.data[(i * m * n)..<((i + 1) * m * n)]) == ci.data, "product \(i)")
        }
    }
}
