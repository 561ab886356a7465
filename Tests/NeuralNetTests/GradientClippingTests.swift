/// The gradient passes before Adam's, blocked, against their formulas, on one thread and
/// on two: the global norm, and the replicas' gradients summed with it.

import Testing
@testable import NeuralNet
@testable import Autodiff
import TestSupport

struct GradientClippingTests {
    /// Gradients of 100,003 and 77 values (blocks split between the threads, tails of
    /// less than four values): the norm is the same on one thread and on two, to the bit,
    /// and the formula's √(Σ x²) summed one value at a time in Double to rounding.
    @Test func normMatchesTheFormulaOnAnyThreadCount() {
        var generator = SeededGenerator(seed: 70)
        let originals = [100_003, 77].map { n in (0..<n).map { _ in generator.nextUniform() * 2 - 1 } }
        var squares: Double = 0
        for g in originals { for x in g { squares += Double(x) * Double(x) } }
        let formula = Float(squares.squareRoot())
        let norms = [1, 2].map { threads in withEngineThreads(threads) { gradientNorm(parameters(originals)) } }
        #expect(norms[0] == norms[1])
        #expect(abs(norms[0] - formula) <= 1e-6 * formula, "\(norms[0]) against \(formula)")
    }

    /// Two replicas' gradients are added into the parameters', value by value in replica
    /// order, and the replicas are left without; the norm returned is `gradientNorm` of
    /// the sums to the bit, on one thread and on two. A parameter without a gradient takes
    /// the first replica's; one that no model has a gradient for stays without.
    @Test func replicaGradientsAreSummedWithTheirNorm() {
        var generator = SeededGenerator(seed: 71)
        let sizes = [40_003, 77, 5]
        func random() -> [[Float]] { sizes.map { n in (0..<n).map { _ in generator.nextUniform() * 2 - 1 } } }
        let (own, first, second) = (random(), random(), random())
        for threads in [1, 2] {
            let model = parameters(own), replicas = [parameters(first), parameters(second)]
            model[1].grad = nil
            replicas.forEach { $0[2].grad = nil }
            model[2].grad = nil
            let norm = withEngineThreads(threads) { addReplicaGradients(replicas, into: model) }
            #expect(model[0].grad! == zip(zip(own[0], first[0]), second[0]).map { ($0.0 + $0.1) + $1 })
            #expect(model[1].grad! == zip(first[1], second[1]).map { $0 + $1 })
            #expect(model[2].grad == nil)
            #expect(replicas.allSatisfy { $0.allSatisfy { $0.grad == nil } })
            #expect(norm == gradientNorm(model), "\(threads) threads")
        }
    }

    /// Parameters whose gradients are `gradients`.
    private func parameters(_ gradients: [[Float]]) -> [Tensor] {
        gradients.map { g in
            let p = Tensor(shape: [g.count], data: g, requiresGrad: true)
            p.grad = g
            return p
        }
    }
}
