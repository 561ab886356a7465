/// Additive attention's fused energies against their composition and finite differences.

import Testing
@testable import Autodiff

struct AdditiveEnergiesTests {
    /// Backward against central finite differences, on the edge shapes: r rows of b, each
    /// repeated n times (n = 1 is a plain sum).
    @Test(arguments: [1, 2, 5])
    func gradientsMatchFiniteDifferences(repeats n: Int) {
        var generator = SeededGenerator(seed: 44)
        for (r, c) in edgeShapes {
            let a = randomTensor([r * n, c], &generator), b = randomTensor([r, c], &generator)
            let v = randomTensor([1, c], &generator)
            let result = checkGradients([a, b, v]) { Tensor.additiveEnergies(a, repeatedRows: b, weights: v) }
            #expect(result.worstError < tolerance, "\(r)×\(c), n = \(n): \(result)")
        }
    }

    /// The fused op gives bitwise the energies and gradients of the ops it replaces, so
    /// training with it loses nothing in exactness.
    @Test func equalsTheCompositionBitwise() {
        var generator = SeededGenerator(seed: 45)
        let (r, n, c) = (6, 7, 33)
        let a = randomTensor([r * n, c], &generator, scale: 3), b = randomTensor([r, c], &generator, scale: 3)
        let v = randomTensor([1, c], &generator)
        let weight = Tensor(shape: [r * n, 1], data: randomTensor([r * n, 1], &generator).data)
        func gradients(_ energies: Tensor) -> [[Float]] {
            (energies * weight).sum().backward()
            defer { for p in [a, b, v] { p.zeroGrad() } }
            return [a.grad!, b.grad!, v.grad!]
        }

        let fused = Tensor.additiveEnergies(a, repeatedRows: b, weights: v)
        let fusedGradients = gradients(fused)
        let composed = Tensor.matmul((a + b.repeatingRows(n)).tanh(), v, transposeB: true)
        #expect(fused.shape == composed.shape)
        #expect(fused.data == composed.data)
        #expect(fusedGradients == gradients(composed))
    }
}
