/// The backward walk: accumulation, depth, and freeing the graph.

import Testing
@testable import Autodiff

struct BackwardTests {
    @Test func valueUsedTwiceGetsBothContributions() {
        let a = Tensor(shape: [2], data: [3, -1], requiresGrad: true)
        (a + a).sum().backward()
        #expect(a.grad == [2, 2])
        a.zeroGrad()
        (a * a).sum().backward()
        #expect(a.grad == [6, -2])
    }

    @Test func gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        let a = Tensor(shape: [1], data: [1], requiresGrad: true)
        (3 * a).sum().backward()
        (3 * a).sum().backward()
        #expect(a.grad == [6])
    }

    @Test func constantsGetNoGradientAndBuildNoGraph() {
        let w = Tensor(shape: [2], data: [1, 2], requiresGrad: true)
        let x = Tensor(shape: [2], data: [5, 7])
        let y = x * x
        #expect(!y.requiresGrad && y.inputs.isEmpty)
        (w * y).sum().backward()
        #expect(x.grad == nil)
        #expect(w.grad == [25, 49])
    }

    /// An unrolled recurrence is tens of thousands of nodes deep; neither the walk nor
    /// the release of the graph may recurse.
    @Test func deepChainNeitherOverflowsNorLeaks() {
        let w = Tensor(shape: [1], data: [1], requiresGrad: true)
        weak var middle: Tensor?
        do {
            var x = w
            for i in 0..<100_000 {
                x = 1.0 * x
                if i == 50_000 { middle = x }
            }
            x.sum().backward()
        }
        #expect(w.grad == [1])
        #expect(middle == nil, "the graph must be freed after backward")
    }

    /// The walk frees what it has passed: when an op's pullback runs, the tensors
    /// computed from it (walked before it) are already gone, so a training step's peak
    /// is not the whole forward graph plus the first gradients.
    @Test func walkFreesTensorsItHasPassed() {
        let w = Tensor(shape: [1], data: [1], requiresGrad: true)
        weak var later: Tensor?
        var laterAliveWhenFirstWalked: Bool?
        let first = Tensor(shape: [1], data: w.data, inputs: [w]) { g in
            laterAliveWhenFirstWalked = later != nil
            w.accumulate(g)
        }
        func lossThroughLaterTensor() -> Tensor {
            let computedFromFirst = 2 * first
            later = computedFromFirst
            return computedFromFirst.sum()
        }
        let loss = lossThroughLaterTensor()
        #expect(later != nil, "the graph holds the intermediate until backward")
        loss.backward()
        #expect(laterAliveWhenFirstWalked == false)
        #expect(w.grad == [2])
    }

    /// A graph dropped without backward (a loss only printed) is freed without recursion.
    @Test func deepChainDroppedWithoutBackwardIsFreed() {
        let w = Tensor(shape: [1], data: [1], requiresGrad: true)
        weak var middle: Tensor?
        do {
            var x = w
            for i in 0..<200_000 {
                x = x + w
                if i == 100_000 { middle = x }
            }
            #expect(x.scalar == 200_001)
        }
        #expect(middle == nil)
    }

    /// Releasing a backward closure must free its output: closures receive the gradient
    /// as an argument instead of capturing the tensor that owns them.
    @Test func opsDoNotRetainThemselves() {
        let w = Tensor(shape: [2, 2], data: [1, 2, 3, 4], requiresGrad: true)
        weak var product: Tensor?
        weak var cell: Tensor?
        do {
            let p = Tensor.matmul(w, w)
            let (h, c) = Tensor.lstmCell(gates: Tensor.concat([p, p]).reshaped([1, 8]),
                                         hidden: Tensor(zeros: [1, 2]), cell: Tensor(zeros: [1, 2]))
            product = p
            cell = c
            _ = h  // dropped without backward
        }
        #expect(product == nil && cell == nil)
    }
}
