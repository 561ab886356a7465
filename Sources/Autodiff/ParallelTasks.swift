/// Independent tasks, one per core, each computing on one thread.
import Dispatch
import CBLAS

/// Runs `body(0)`, …, `body(count − 1)` at once, one task per thread, with the engine
/// single-threaded inside each: its matrix products and row loops (`forEachRowRange`) run
/// on the calling task's thread alone. Returns when every task has.
///
/// Splitting one small product between two cores makes each wait for the other at every
/// product, and the elementwise work between products runs on one of them while the other
/// waits. Two tasks that share nothing but read-only inputs (two halves of a batch, two
/// batches of sentences to translate) never wait for each other, and each does all of its
/// own work on its own core. Every value a task computes comes from the same instructions
/// as with one thread, so the results do not depend on how the tasks were scheduled.
public func concurrently(_ count: Int, _ body: (Int) -> Void) {
    guard count > 1 else {
        if count == 1 { body(0) }
        return
    }
    // Each count comes back as it was, read on its own: `setBLASThreads` keeps them equal,
    // but a test of the engine's loops varies the engine's alone.
    _ = blasStartsOnOneThread
    let threads = engineThreadCount, blasThreads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    setEngineThreads(1)
    defer {
        openblas_set_num_threads(blasThreads)
        setEngineThreads(threads)
    }
    // Each task writes only what its index owns, so sharing `body` is safe although the
    // compiler cannot prove it.
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: count) { body($0) }
    }
}
