/// Concurrent tasks: each index once, the same bits as one thread; and a replica's
/// gradient handed over.

import Testing
@testable import Autodiff

struct ParallelTasksTests {
    /// Every task runs exactly once, however many there are.
    @Test(arguments: [0, 1, 2, 5])
    func everyTaskRunsOnce(count: Int) {
        setBLASThreads(2)
        defer { setBLASThreads(1) }
        var runs = [Int](repeating: 0, count: count)
        runs.withUnsafeMutableBufferPointer { runs in
            concurrently(count) { k in runs[k] += 1 }
        }
        #expect(runs.allSatisfy { $0 == 1 })
    }

    /// Products computed inside concurrent tasks are bitwise those of the same products
    /// on one thread.
    @Test func productsInTasksAreThoseOfOneThread() {
        var generator = SeededGenerator(seed: 9)
        let a = randomTensor([70, 300], &generator), b = randomTensor([300, 90], &generator)
        setBLASThreads(1)
        let alone = Tensor.matmul(a, b).data
        var inTasks = [[Float]](repeating: [], count: 3)
        setBLASThreads(2)
        defer { setBLASThreads(1) }
        inTasks.withUnsafeMutableBufferPointer { results in
            concurrently(3) { k in results[k] = Tensor.matmul(a, b).data }
        }
        #expect(inTasks.allSatisfy { $0 == alone })
    }

    /// A replica's gradient is added into the tensor's, or taken as it is when the tensor
    /// has none, and the replica is left without; a replica without one changes nothing.
    @Test func aReplicasGradientIsHandedOver() {
        let size = 40_000  // several blocks of the sum
        let tensor = Tensor(zeros: [size], requiresGrad: true), replica = Tensor(zeros: [size], requiresGrad: true)
        replica.grad = (0..<size).map { Float($0) }
        tensor.takeGradient(from: replica)
        #expect(tensor.grad == (0..<size).map { Float($0) } && replica.grad == nil)
        replica.grad = [Float](repeating: 0.5, count: size)
        setBLASThreads(2)
        defer { setBLASThreads(1) }
        tensor.takeGradient(from: replica)
        #expect(tensor.grad == (0..<size).map { Float($0) + 0.5 } && replica.grad == nil)
        tensor.takeGradient(from: replica)
        #expect(tensor.grad == (0..<size).map { Float($0) + 0.5 })
    }
}
