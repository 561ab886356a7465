/// The fused output layer and cross-entropy against its composition and finite differences.

import Testing
@testable import Autodiff

struct LinearCrossEntropyTests {
    /// Random inputs [n, f], weights [v, f], bias [v] and targets.
    private func problem(n: Int, f: Int, v: Int, seed: UInt64) -> (x: Tensor, w: Tensor, b: Tensor, targets: [Int]) {
        var generator = SeededGenerator(seed: seed)
        let x = randomTensor([n, f], &generator), w = randomTensor([v, f], &generator, scale: 2)
        let b = randomTensor([v], &generator)
        return (x, w, b, (0..<n).map { _ in Int(generator.next() % UInt64(v)) })
    }

    /// Backward against central finite differences, in one block and in several (the last
    /// one short), with and without label smoothing, and with a bias or none.
    @Test(arguments: [(1, 0.0), (2, 0.0), (3, 0.1), (16, 0.1)] as [(Int, Float)])
    func gradientsMatchFiniteDifferences(blockRows: Int, smoothing: Float) {
        let (x, w, b, targets) = problem(n: 7, f: 5, v: 6, seed: 47)
        let withBias = checkGradients([x, w, b]) {
            3 * Tensor.linearCrossEntropy(x, weight: w, bias: b, targets: targets, smoothing: smoothing,
                                          scale: 0.5, blockRows: blockRows)
        }
        #expect(withBias.worstError < tolerance, "block of \(blockRows), ε = \(smoothing): \(withBias)")
        let withoutBias = checkGradients([x, w]) {
            Tensor.linearCrossEntropy(x, weight: w, bias: nil, targets: targets, smoothing: smoothing,
                                      scale: 1, blockRows: blockRows)
        }
        #expect(withoutBias.worstError < tolerance, "no bias, block of \(blockRows): \(withoutBias)")
    }

    /// Against `s · crossEntropy(logits: x Wᵀ + b).sum()`. In one block the products are
    /// the composition's own, so everything agrees to the bit. In several, BLAS computes
    /// each block's products with kernels chosen for its size, and W's gradient is summed
    /// block by block: the results agree to rounding.
    @Test(arguments: [7, 64, 150, 1000])
    func agreesWithTheComposition(blockRows: Int) {
        let (x, w, b, targets) = problem(n: 150, f: 40, v: 300, seed: 48)
        let s: Float = 1 / 150
        let fused = Tensor.linearCrossEntropy(x, weight: w, bias: b, targets: targets, smoothing: 0.1,
                                              scale: s, blockRows: blockRows)
        fused.backward()
        let fusedGradients = [x.grad!, w.grad!, b.grad!]
        for p in [x, w, b] { p.zeroGrad() }
        let logits = Tensor.matmul(x, w, transposeB: true) + b
        let composed = s * Tensor.crossEntropy(logits: logits, targets: targets, ignoring: -1, smoothing: 0.1).sum()
        composed.backward()
        let composedGradients = [x.grad!, w.grad!, b.grad!]

        if blockRows >= 150 {
            #expect(fused.scalar == composed.scalar)
            #expect(fusedGradients == composedGradients)
        } else {
            #expect(abs(fused.scalar - composed.scalar) <= 1e-6 * composed.scalar)
            for (name, (fused, composed)) in zip(["x", "W", "b"], zip(fusedGradients, composedGradients)) {
                let worst = zip(fused, composed).map { abs($0 - $1) }.max()!
                let largest = composed.map { abs($0) }.max()!
                #expect(worst <= 1e-5 * largest, "\(name)'s gradient: off by \(worst) of \(largest)")
            }
        }
    }

    /// An upstream gradient other than 1 scales every gradient.
    @Test func upstreamGradientScalesTheGradients() {
        let (x, w, b, targets) = problem(n: 9, f: 4, v: 5, seed: 49)
        Tensor.linearCrossEntropy(x, weight: w, bias: b, targets: targets, scale: 1, blockRows: 4).backward()
        let once = (x.grad!, w.grad!, b.grad!)
        for p in [x, w, b] { p.zeroGrad() }
        (4 * Tensor.linearCrossEntropy(x, weight: w, bias: b, targets: targets, scale: 1, blockRows: 4)).backward()
        #expect(x.grad! == once.0.map { 4 * $0 })
        #expect(w.grad! == once.1.map { 4 * $0 })
        #expect(b.grad! == once.2.map { 4 * $0 })
    }
}
