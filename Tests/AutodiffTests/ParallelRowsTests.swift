/// Row-parallel loops: every row once, and the same bits as one thread.

import Testing
@testable import Autodiff

struct ParallelRowsTests {
    @Test(arguments: [1, 2, 3, 7, 1000])
    func coversEveryRowOnce(rows: Int) {
        setBLASThreads(2)
        defer { setBLASThreads(1) }
        var seen = [Int](repeating: 0, count: rows)
        seen.withUnsafeMutableBufferPointer { seen in
            forEachRowRange(rows, costPerRow: 1 << 16) { range in
                for r in range { seen[r] += 1 }
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
            setBLASThreads(threads)
            logits.zeroGrad()
            let losses = Tensor.crossEntropy(logits: logits, targets: targets, ignoring: 1, smoothing: 0.1)
            losses.sum().backward()
            return (losses.data, logits.grad!)
        }
        let one = run(threads: 1), two = run(threads: 2)
        setBLASThreads(1)
        #expect(one.losses == two.losses)
        #expect(one.gradient == two.gradient)
        #expect(one.losses[4] == 0 && one.gradient[(4 * vocabulary)..<(5 * vocabulary)].allSatisfy { $0 == 0 })
    }
}
