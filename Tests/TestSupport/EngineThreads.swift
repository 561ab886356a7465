/// The one way a test runs the engine on several threads.
import Foundation
import Autodiff

/// The tests that vary the engine's thread count take turns.
private let engineThreadsLock = NSLock()

/// Runs `body` with the engine's own parallel work (`forEachRowRange`, `concurrently`) on
/// `threads` threads, then puts it back on one.
///
/// The tests of every module run at once, in one process, and OpenBLAS's thread count is one
/// setting for all of them. A product split among two threads can differ in its last bits
/// from the same product on one, so a test that compares two products bit for bit would
/// fail if another test changed OpenBLAS's count between them. So OpenBLAS stays on one
/// thread for the whole run (where the engine puts it at the first product), and a test of the
/// engine's own loops, which give the bits of one thread by construction, changes their
/// count alone. Such tests hold one lock, so that none runs on a count another has just
/// changed.
public func withEngineThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
    engineThreadsLock.lock()
    defer {
        setEngineThreads(1)
        engineThreadsLock.unlock()
    }
    setEngineThreads(threads)
    return try body()
}
