/// How many threads the engine computes on: one count for OpenBLAS's matrix products and
/// for the engine's own row-parallel loops.
import CBLAS
import Synchronization

/// How many threads row-parallel loops may use (`forEachRowRange`), and how many
/// `concurrently` tasks keep every core busy. One until `setBLASThreads` says otherwise.
let engineThreads = Atomic<Int>(1)

/// OpenBLAS starts with a thread per core, the engine with one. The first product (or the
/// first count set) puts OpenBLAS on one thread too, so that a program which never calls
/// `setBLASThreads` computes on one thread throughout, and its products give the same bits
/// from the first to the last: OpenBLAS splits a product's rows and columns among its
/// threads, and the split changes the rounding of the values at the edges of the parts.
/// One, not the engine's count at that moment: a program that varies only the engine's
/// count (`setEngineThreads`) keeps OpenBLAS on one thread whenever its first product comes.
let blasStartsOnOneThread: Void = {
    openblas_set_num_threads(1)
}()

/// Sets the number of threads OpenBLAS uses for matrix products, and that the engine's
/// own row-parallel loops use (`forEachRowRange`).
public func setBLASThreads(_ n: Int) {
    _ = blasStartsOnOneThread
    openblas_set_num_threads(Int32(n))
    setEngineThreads(n)
}

/// Sets the number of threads of the engine's own parallel work (`forEachRowRange`,
/// `concurrently`) and leaves OpenBLAS's as it is. A program sets both (`setBLASThreads`);
/// this is for tests of that work, which gives the bits of one thread by construction,
/// while the products of other tests beside them must all see one OpenBLAS count.
public func setEngineThreads(_ n: Int) {
    engineThreads.store(max(n, 1), ordering: .relaxed)
}

/// The number of threads the engine may use (`setBLASThreads`), and so how many
/// `concurrently` tasks keep every core busy.
public var engineThreadCount: Int { engineThreads.load(ordering: .relaxed) }
