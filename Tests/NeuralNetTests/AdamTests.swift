/// Adam's vectorised update against its formula, written out one value at a time.

import Foundation
import Testing
@testable import NeuralNet
@testable import Autodiff
import TestSupport

struct AdamTests {
    /// 37 values: four SIMD vectors of eight and a scalar tail of five; three steps, so
    /// that the moments and bias corrections are past their first values.
    @Test func updateIsBitwiseTheScalarFormula() {
        checkAgainstTheScalarFormula(count: 37)
    }

    /// 100,003 values are enough to be split between two threads, in blocks that end
    /// away from the vector tail.
    @Test func updateOnTwoThreadsIsBitwiseTheScalarFormula() {
        withEngineThreads(2) { checkAgainstTheScalarFormula(count: 100_003) }
    }

    /// A gradient scale (clipping's) gives the values of the gradients scaled first.
    @Test func aGradientScaleIsBitwiseTheScaledGradients() {
        checkAgainstTheScalarFormula(count: 37, gradientScale: 0.37)
    }

    private func checkAgainstTheScalarFormula(count: Int, gradientScale: Float = 1) {
        var generator = SeededGenerator(seed: 9)
        let p = Tensor(shape: [count], data: (0..<count).map { _ in generator.nextUniform() - 0.5 }, requiresGrad: true)
        var x = p.data
        var m = [Float](repeating: 0, count: count), v = m
        var adam = Adam(parameters: [p], learningRate: 0.01)
        for step in 1...3 {
            let unscaled = (0..<count).map { _ in generator.nextUniform() * 4 - 2 }
            p.grad = unscaled
            adam.update(gradientScale: gradientScale)
            let g = unscaled.map { $0 * gradientScale }
            let (beta1, beta2, epsilon): (Float, Float, Float) = (0.9, 0.999, 1e-8)
            let correction1 = 1 - powf(beta1, Float(step)), correction2 = 1 - powf(beta2, Float(step))
            let rate = 0.01 / correction1
            for i in 0..<count {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i]
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
                x[i] -= rate * m[i] / ((v[i] / correction2).squareRoot() + epsilon)
            }
            #expect(p.data == x, "step \(step)")
            #expect(adam.firstMoments[0] == m && adam.secondMoments[0] == v, "step \(step)")
        }
    }
}
