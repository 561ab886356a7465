/// NaN and infinity pass through the ops as values, never as a crash, so that a training
/// that diverges can notice it in its loss and stop with a message.

import Testing
@testable import Autodiff

struct NonFiniteValueTests {
    /// Attention energies of NaN (from weights that have diverged) give NaN weights; they
    /// used to trip the check for an entirely masked row.
    @Test func maskedSoftmaxPassesNaNOn() {
        let x = Tensor(shape: [2, 3], data: [.nan, .nan, 1, 0, .infinity, 2])
        let y = x.maskedSoftmax(mask: [true, true, false, true, true, true])
        #expect(y.data.allSatisfy { $0.isNaN })
    }

    /// The attention softmax does the same, for the row of the NaN energy only.
    @Test func attentionSoftmaxPassesNaNOn() {
        let x = Tensor(shape: [1, 1, 2, 2], data: [.nan, 0, 1, 2])
        let y = x.maskedSoftmax(keyMask: [true, true], causal: true)
        #expect(y.data[0..<2].allSatisfy { $0.isNaN })
        #expect(y.data[2..<4].allSatisfy { !$0.isNaN })
    }

    @Test func reluPassesNaNOn() {
        let y = Tensor(shape: [3], data: [.nan, -1, 2]).relu()
        #expect(y.data[0].isNaN && y.data[1] == 0 && y.data[2] == 2)
    }

    @Test func crossEntropyOfNaNLogitsIsNaN() {
        let logits = Tensor(shape: [2, 3], data: [.nan, 0, 0, 1, 2, 3], requiresGrad: true)
        let loss = Tensor.crossEntropy(logits: logits, targets: [1, 2], ignoring: 0).sum()
        #expect(loss.scalar.isNaN)
        loss.backward()
        #expect(logits.grad?.contains { $0.isNaN } == true)
    }
}
