/// Layers built from ops: their gradients through whole sequences, and padding.

import Testing
@testable import NeuralNet
@testable import Autodiff

let tolerance = 5e-3

func randomInput(_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor {
    Tensor.uniform(shape, bound: 1, generator: &generator)
}

struct LayerGradientTests {
    @Test func linear() {
        var g = SeededGenerator(seed: 1)
        let layer = Linear(inputSize: 3, outputSize: 2, generator: &g)
        let x = randomInput([4, 3], &g)
        let result = checkGradients([x] + layer.parameters) { layer(x) }
        #expect(result.worstError < tolerance, "\(result)")
    }

    @Test(arguments: [false, true])
    func lstmOverPaddedSequences(reversed: Bool) {
        var g = SeededGenerator(seed: 2)
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, generator: &g)
        let x = randomInput([4, 3, 3], &g)           // T=4, B=3
        let lengths = [4, 2, 1]
        let result = checkGradients([x] + lstm.parameters) {
            let (outputs, final) = lstm(x, lengths: lengths, reversed: reversed)
            return Tensor.concat([outputs.reshaped([12, 2]).sum(axis: 0).reshaped([1, 2]), final.sum(axis: 0).reshaped([1, 2])])
        }
        #expect(result.worstError < tolerance, "\(result)")
    }

    @Test func attention() {
        var g = SeededGenerator(seed: 3)
        let attention = AdditiveAttention(querySize: 3, keySize: 4, attentionSize: 5, generator: &g)
        let s = randomInput([2, 3], &g)
        let values = randomInput([2, 3, 4], &g)      // B=2, n=3
        let mask = [true, true, true, true, false, false]
        let result = checkGradients([s, values] + attention.parameters) {
            let step = attention(query: s, memory: attention.attending(to: values, mask: mask), carry: nil)
            return Tensor.concat([step.context, step.weights])
        }
        #expect(result.worstError < tolerance, "\(result)")
    }

    /// A sentence's encoder states must not depend on the padding after it: the same
    /// sentence alone and beside a longer one gives the same states at its positions,
    /// in both directions.
    @Test func bidirectionalLSTMIgnoresPadding() {
        var g = SeededGenerator(seed: 4)
        let encoder = BidirectionalLSTM(inputSize: 3, hiddenSize: 2, generator: &g)
        let short = randomInput([2, 1, 3], &g).data
        let long = randomInput([5, 1, 3], &g).data
        let alone = encoder(Tensor(shape: [2, 1, 3], data: short), lengths: [2])
        // Time-major batch of two: at each step, the long sentence's row then the short
        // one's (garbage where it is padding).
        var batch: [Float] = []
        for t in 0..<5 {
            batch += long[(t * 3)..<(t * 3 + 3)]
            batch += t < 2 ? Array(short[(t * 3)..<(t * 3 + 3)]) : [9, -9, 9]
        }
        let together = encoder(Tensor(shape: [5, 2, 3], data: batch), lengths: [5, 2])
        for t in 0..<2 {
            let a = Array(alone.outputs.data[(t * 4)..<(t * 4 + 4)])
            let b = Array(together.outputs.data[((t * 2 + 1) * 4)..<((t * 2 + 1) * 4 + 4)])
            for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-6, "step \(t): \(a) vs \(b)") }
        }
        #expect(alone.lastForward.data.map { ($0 * 1e5).rounded() } == Array(together.lastForward.data[2..<4]).map { ($0 * 1e5).rounded() })
        #expect(alone.firstBackward.data.map { ($0 * 1e5).rounded() } == Array(together.firstBackward.data[2..<4]).map { ($0 * 1e5).rounded() })
    }
}

struct OptimizerTests {
    /// Adam's first step moves every parameter by almost exactly the learning rate,
    /// against the sign of its gradient, whatever the gradient's scale.
    @Test func adamFirstStepIsTheLearningRate() {
        let p = Tensor(shape: [3], data: [1, 1, 1], requiresGrad: true)
        var adam = Adam(parameters: [p], learningRate: 0.1)
        (Tensor(shape: [3], data: [1000, -0.001, 5]) * p).sum().backward()
        adam.update()
        #expect(abs(p.data[0] - 0.9) < 1e-4 && abs(p.data[1] - 1.1) < 1e-3 && abs(p.data[2] - 0.9) < 1e-4)
        #expect(p.grad == nil)
    }

    @Test func adamMinimisesAQuadratic() {
        let p = Tensor(shape: [2], data: [3, -2], requiresGrad: true)
        var adam = Adam(parameters: [p], learningRate: 0.05)
        for _ in 0..<500 {
            (p * p).sum().backward()
            adam.update()
        }
        #expect(p.data.allSatisfy { abs($0) < 0.05 }, "\(p.data)")
    }

    /// The factor brings a norm above the maximum down to it and leaves one below alone;
    /// a norm that is not finite leaves the update to be refused, not scaled.
    @Test func clippingScalesToTheMaximumNorm() {
        let a = Tensor(shape: [2], data: [0, 0], requiresGrad: true)
        a.grad = [3, 4]
        #expect(gradientNorm([a]) == 5)
        #expect(clippingScale(norm: 5, maxNorm: 1) == 0.2)
        #expect(clippingScale(norm: 5, maxNorm: 10) == 1, "a norm under the maximum is left alone")
        #expect(clippingScale(norm: .nan, maxNorm: 1) == 1 && clippingScale(norm: .infinity, maxNorm: 1) == 1)
    }
}
