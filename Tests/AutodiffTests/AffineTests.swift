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

    /// With W packed both ways (`PackedWeight(_:withTranspose:)`, packed anew at every
    /// evaluation, as a training step packs it), backward still matches finite
    /// differences: x Wᵀ and dx = dy W come from the copies, dW from x and dy.
    @Test(arguments: [[1, 5], [4, 1], [3, 4], [2, 7, 17]])
    func packedGradientsMatchFiniteDifferences(shape: [Int]) {
        var generator = SeededGenerator(seed: 52)
        let x = randomTensor(shape, &generator)
        let w = randomTensor([19, shape.last!], &generator), b = randomTensor([19], &generator)
        let result = checkGradients([x, w, b]) {
            Tensor.affine(x, w, b, packed: PackedWeight(w, withTranspose: true))
        }
        #expect(result.worstError < tolerance, "\(shape): \(result)")
    }

    /// Through the packed copies, the values and gradients are the unpacked op's up to
    /// rounding (the packed kernel sums in its own order).
    @Test func packedEqualsUnpackedToRounding() {
        var generator = SeededGenerator(seed: 53)
        let x = randomTensor([32, 70], &generator), w = randomTensor([45, 70], &generator)
        let b = randomTensor([45], &generator), probe = randomTensor([32, 45], &generator)
        func run(_ packed: PackedWeight?) -> [[Float]] {
            let y = Tensor.affine(x, w, b, packed: packed)
            (y * probe).sum().backward()
            defer { for p in [x, w, b] { p.zeroGrad() } }
            return [y.data, x.grad!, w.grad!, b.grad!]
        }
        let packed = run(PackedWeight(w, withTranspose: true)), plain = run(nil)
        for (got, expected) in zip(packed, plain) {
            let largest = expected.map(abs).max()!
            #expect(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-5 * largest })
        }
        #expect(packed[0] != plain[0] || packed[1] != plain[1], "the packed kernel was not used")
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
