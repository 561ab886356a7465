/// Clipping's blocked passes against the formula, on one thread and on two.

import Testing
@testable import NeuralNet
@testable import Autodiff
import TestSupport

struct GradientClippingTests {
    /// Gradients of 100,003 and 77 values (blocks split between the threads, tails of
    /// less than four values): the norm is the same on one thread and on two, to the bit,
    /// and the formula's √(Σ x²) summed one value at a time in Double to rounding; the
    /// clipped gradients are the originals times maxNorm / norm, to the bit.
    @Test func normAndScalingMatchTheFormulaOnAnyThreadCount() {
        var generator = SeededGenerator(seed: 70)
        let originals = [100_003, 77].map { n in (0..<n).map { _ in generator.nextUniform() * 2 - 1 } }
        var squares: Double = 0
        for g in originals { for x in g { squares += Double(x) * Double(x) } }
        let formula = Float(squares.squareRoot())
        var norms: [Float] = []
        for threads in [1, 2] {
            withEngineThreads(threads) {
                let parameters = originals.map { g in
                    let p = Tensor(shape: [g.count], data: g, requiresGrad: true)
                    p.grad = g
                    return p
                }
                let norm = clipGradientNorm(parameters, maxNorm: 1)
                norms.append(norm)
                let scale = 1 / norm
                for (p, g) in zip(parameters, originals) {
                    let same = p.grad! == g.map { $0 * scale }
                    #expect(same, "\(threads) threads")
                }
            }
        }
        #expect(norms[0] == norms[1])
        #expect(abs(norms[0] - formula) <= 1e-6 * formula, "\(norms[0]) against \(formula)")
    }
}
