/// The engine's thread count: OpenBLAS starts on one thread, as the engine does.

import Testing
import Autodiff
import CBLAS
import TestSupport

struct EngineThreadsTests {
    /// OpenBLAS starts with a thread per core; after a product it computes on one thread,
    /// as the engine's own loops start, although no one set a count.
    @Test func openBLASIsOnOneThreadFromTheFirstProduct() {
        var generator = SeededGenerator(seed: 11)
        let a = randomTensor([8, 8], &generator), b = randomTensor([8, 8], &generator)
        let threads = withEngineThreads(1) { () -> [Int] in
            _ = Tensor.matmul(a, b)
            return [engineThreadCount, Int(openblas_get_num_threads())]
        }
        #expect(threads == [1, 1])
    }
}
