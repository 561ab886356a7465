/// A small network trained end to end through the engine.

import Testing
@testable import Autodiff

struct TrainingTests {
    /// XOR is not linearly separable: a network with a tanh hidden layer must learn it,
    /// and plain gradient descent on the engine's gradients gets the loss near zero.
    @Test func twoLayerNetworkLearnsXOR() {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor(shape: [4, 2], data: [0, 0, 0, 1, 1, 0, 1, 1])
        let targets = [0, 1, 1, 0]
        let w1 = randomTensor([2, 8], &generator)
        let b1 = Tensor(zeros: [8], requiresGrad: true)
        let w2 = randomTensor([8, 2], &generator)
        let b2 = Tensor(zeros: [2], requiresGrad: true)
        let parameters = [w1, b1, w2, b2]

        func loss() -> Tensor {
            let hidden = (Tensor.matmul(x, w1) + b1).tanh()
            let logits = Tensor.matmul(hidden, w2) + b2
            return Tensor.meanCrossEntropy(logits: logits, targets: targets, ignoring: -1)
        }

        let initial = loss().scalar
        for _ in 0..<2000 {
            for p in parameters { p.zeroGrad() }
            loss().backward()
            for p in parameters {
                for i in 0..<p.count { p.data[i] -= 0.5 * p.grad![i] }
            }
        }
        let final = loss().scalar
        #expect(initial > 0.5)
        #expect(final < 0.02, "XOR loss after training: \(final)")
    }
}
