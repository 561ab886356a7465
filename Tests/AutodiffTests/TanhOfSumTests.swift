/// The fused hidden layer of additive attention against its composition and finite differences.

import Testing
@testable import Autodiff

struct TanhOfSumTests {
    /// Backward against central finite differences, on the edge shapes: r rows of b, each
    /// repeated n times (n = 1 is a plain sum).
    @Test(arguments: [1, 2, 5])
    func gradientsMatchFiniteDifferences(repeats n: Int) {
        var generator = SeededGenerator(seed: 44)
        for (r, c) in edgeShapes {
            let a = randomTensor([r * n, c], &generator), b = randomTensor([r, c], &generator)
            let result = checkGradients([a, b]) { Tensor.tanhOfSum(a, repeatedRows: b) }
            #expect(result.worstError < tolerance, "\(r)×\(c), n = \(n): \(result)")
        }
    }

    /// The fused op gives bitwise the values and gradients of the three ops it replaces,
    /// so training with it loses nothing in exactness.
    @Test func equalsTheCompositionBitwise() {
        var generator = SeededGenerator(seed: 45)
        let (r, n, c) = (6, 7, 33)
        let a = randomTensor([r * n, c], &generator, scale: 3), b = randomTensor([r, c], &generator, scale: 3)
        let upstream = randomTensor([r * n, c], &generator)
        let weight = Tensor(shape: [r * n, c], data: upstream.data)

        let fused = Tensor.tanhOfSum(a, repeatedRows: b)
        (fused * weight).sum().backward()
        let (fusedA, fusedB) = (a.grad!, b.grad!)
        a.zeroGrad(); b.zeroGrad()
        let composed = (a + b.repeatingRows(n)).tanh()
        (composed * weight).sum().backward()

        #expect(fused.data == composed.data)
        #expect(fusedA == a.grad!)
        #expect(fusedB == b.grad!)
    }
}
