/// Concurrent tasks: each index once, the same bits as one thread; and a replica's
/// gradient handed over.

import Testing
@testable import Autodiff
import CBLAS
import TestSupport

struct ParallelTasksTests {
    /// Every task runs exactly once, however many there are.
    @Test(arguments: [0, 1, 2, 5])
    func everyTaskRunsOnce(count: Int) {
        var runs = [Int](repeating: 0, count: count)
        withEngineThreads(2) {
            runs.withUnsafeMutableBufferPointer { runs in
                concurrently(count) { k in runs[k] += 1 }
            }
        }
        #expect(runs.allSatisfy { $0 == 1 })
    }

    /// Inside concurrent tasks the engine computes on one thread, and products there are
    /// bitwise those of one thread; afterwards each count is what it was. (The tests keep
    /// OpenBLAS on one thread throughout, see `withEngineThreads`, so that its count stays
    /// 1 here shows only that `concurrently` gives it back unchanged.)
    @Test func tasksComputeOnOneThreadAndGiveTheCountsBack() {
        var generator = SeededGenerator(seed: 9)
        let a = randomTensor([70, 300], &generator), b = randomTensor([300, 90], &generator)
        let alone = Tensor.matmul(a, b).data
        var inTasks = [[Float]](repeating: [], count: 3)
        var counts = [[Int]](repeating: [], count: 3)
        let after = withEngineThreads(2) {
            inTasks.withUnsafeMutableBufferPointer { results in
                counts.withUnsafeMutableBufferPointer { counts in
                    concurrently(3) { k in
                        results[k] = Tensor.matmul(a, b).data
                        counts[k] = [engineThreadCount, Int(openblas_get_num_threads())]
                    }
                }
            }
            return [engineThreadCount, Int(openblas_get_num_threads())]
        }
        #expect(inTasks.allSatisfy { $0 == alone })
        #expect(counts.allSatisfy { $0 == [1, 1] })
        #expect(after == [2, 1])
    }
}
