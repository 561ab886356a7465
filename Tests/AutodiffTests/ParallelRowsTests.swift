/// Row-parallel loops: every row once, and the same bits as one thread.

import Testing
@testable import Autodiff
import TestSupport

struct ParallelRowsTests {
    @Test(arguments: [1, 2, 3, 7, 1000])
    func coversEveryRowOnce(rows: Int) {
        var seen = [Int](repeating: 0, count: rows)
        withEngineThreads(2) {
            seen.withUnsafeMutableBufferPointer { seen in
                forEachRowRange(rows, costPerRow: 1 << 16) { range in
                    for r in range { seen[r] += 1 }
                }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }

    /// Cross-entropy over a vocabulary large enough to be shared among threads gives
    /// bitwise the losses and gradients of one thread: training stays repeatable.
    @Test func crossEntropyIsBitwiseTheSameOnTwoThreads() {
        var generator = SeededGenerator(seed: 5)
        let (rows, vocabulary) = (9, 1 << 14)
        let logits = randomTensor([rows, vocabulary], &generator, scale: 4)
        let targets = (0..<rows).map { $0 == 4 ? 1 : ($0 * 7_919) % vocabulary }
        func run(threads: Int) -> (losses: [Float], gradient: [Float]) {
            withEngineThreads(threads) {
                logits.zeroGrad()
                let losses = Tensor.crossEntropy(logits: logits, targets: targets, ignoring: 1, smoothing: 0.1)
                losses.sum().backward()
                return (losses.data, logits.grad!)
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one.losses == two.losses)
        #expect(one.gradient == two.gradient)
        #expect(one.losses[4] == 0 && one.gradient[(4 * vocabulary)..<(5 * vocabulary)].allSatisfy { $0 == 0 })
    }

    /// The LSTM cell and tanh, whose exponentials are shared among threads, give bitwise
    /// the values of one thread, with a row that has ended keeping its state.
    @Test func lstmCellAndTanhAreBitwiseTheSameOnTwoThreads() {
        var generator = SeededGenerator(seed: 6)
        let (batch, hidden) = (64, 512)
        let gates = randomTensor([batch, 4 * hidden], &generator, scale: 3)
        let h = randomTensor([batch, hidden], &generator, scale: 1)
        let c = randomTensor([batch, hidden], &generator, scale: 2)
        let active = (0..<batch).map { $0 % 5 != 3 }
        func run(threads: Int) -> [[Float]] {
            withEngineThreads(threads) {
                let (h2, c2) = Tensor.lstmCell(gates: gates, hidden: h, cell: c, active: active)
                return [h2.data, c2.data, gates.tanh().data]
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one == two)
        #expect(two[0][(3 * hidden)..<(4 * hidden)].elementsEqual(h.data[(3 * hidden)..<(4 * hidden)]))
    }

    /// Layer normalisation shares rows among the threads forwards and backwards; values
    /// and all three gradients are bitwise those of one thread.
    @Test func layerNormIsBitwiseTheSameOnTwoThreads() {
        var generator = SeededGenerator(seed: 7)
        let (rows, d) = (64, 512)
        let x = randomTensor([rows, d], &generator, scale: 3)
        let gamma = randomTensor([d], &generator), beta = randomTensor([d], &generator)
        let projection = randomTensor([rows, d], &generator)
        func run(threads: Int) -> [[Float]] {
            withEngineThreads(threads) {
                for t in [x, gamma, beta] { t.zeroGrad() }
                let y = x.layerNorm(gamma: gamma, beta: beta)
                (y * projection).sum().backward()
                return [y.data, x.grad!, gamma.grad!, beta.grad!]
            }
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one == two)
    }
}
