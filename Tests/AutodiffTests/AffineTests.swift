/// The affine map x Wᵀ + b against its composition and finite differences.

import Testing
@testable import Autodiff

struct AffineTests {
    /// Backward against central finite differences, for rows with leading axes and single
    /// rows and columns.
    @Test(arguments: [[1, 1], [1, 5], [4, 1], [3, 4], [2, 3, 6]])
    func gradientsMatchFiniteDifferences(shape: [Int]) {
        var generator = SeededGenerator(seed: 50)
        let x = randomTensor(shape, &generator)
        let w = randomTensor([3, shape.last!], &generator), b = randomTensor([3], &generator)
        let result = checkGradients([x, w, b]) { Tensor.affine(x, w, b) }
        #expect(result.worstError < tolerance, "\(shape): \(result)")
    }

    /// Bitwise the values and gradients of `matmul(x, W, transposeB: true) + b`.
    @Test func equalsTheCompositionBitwise() {
        var generator = SeededGenerator(seed: 51)
        let x = randomTensor([2, 37, 29], &generator), w = randomTensor([41, 29], &generator)
        let b = randomTensor([41], &generator), probe = randomTensor([2, 37, 41], &generator)
        func gradients(_ y: Tensor) -> [[Float]] {
            (y * probe).sum().backward()
            defer { for p in [x, w, b] { p.zeroGrad() } }
            return [x.grad!, w.grad!, b.grad!]
        }
        let fused = Tensor.affine(x, w, b), composed = Tensor.matmul(x, w, transposeB: true) + b
        #expect(fused.shape == composed.shape && fused.data == composed.data)
        #expect(gradients(fused) == gradients(composed))
    }
}
