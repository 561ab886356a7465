/// The helper threads of row-parallel loops: every part once, the caller back only when all
/// have finished, helpers that slept woken, and a loop inside a loop handed to libdispatch.

import Foundation
import Synchronization
import Testing
@testable import Autodiff
import TestSupport

struct RowHelpersTests {
    /// Each of four parts runs once, part 0 on the calling thread and the others on three
    /// other threads, and `run` returns only after the slowest has finished.
    @Test func everyPartRunsOnceAndTheCallerWaitsForAll() {
        let caller = pthread_self()
        var threads = [pthread_t?](repeating: nil, count: 4)
        var finished = [Bool](repeating: false, count: 4)
        let started = withEngineThreads(4) {
            threads.withUnsafeMutableBufferPointer { threads in
                finished.withUnsafeMutableBufferPointer { finished in
                    RowHelpers.shared.run(4) { part in
                        threads[part] = pthread_self()
                        if part == 3 { usleep(20_000) }
                        finished[part] = true
                    }
                }
            }
        }
        #expect(started)
        #expect(finished == [true, true, true, true])
        #expect(threads[0].map { pthread_equal($0, caller) != 0 } == true)
        let others = threads[1...].compactMap { $0 }
        #expect(others.count == 3 && others.allSatisfy { pthread_equal($0, caller) == 0 })
    }

    /// Helpers that have stopped watching and gone to sleep (longer than
    /// `spinNanoseconds` without a loop) wake for the next one, again and again; and ten
    /// thousand loops in quick succession each run both their parts once.
    @Test func helpersWakeAfterSleepingAndKeepUpWithManyLoops() {
        let counts = Atomic<Int>(0)
        withEngineThreads(2) {
            for _ in 0..<5 {
                usleep(5_000)
                #expect(RowHelpers.shared.run(2) { _ in counts.add(1, ordering: .relaxed) })
            }
            for _ in 0..<10_000 {
                _ = RowHelpers.shared.run(2) { _ in counts.add(1, ordering: .relaxed) }
            }
        }
        #expect(counts.load(ordering: .relaxed) == 2 * 5 + 2 * 10_000)
    }

    /// A loop started inside a part, while the helpers are held, still covers every row
    /// once (on libdispatch's threads), and `run` says it could not take them.
    @Test func aLoopInsideALoopGoesToLibdispatch() {
        var seen = [Int](repeating: 0, count: 2 * 100)
        var nestedStarted = [Bool](repeating: true, count: 2)
        withEngineThreads(2) {
            seen.withUnsafeMutableBufferPointer { seen in
                nestedStarted.withUnsafeMutableBufferPointer { nestedStarted in
                    forEachRowRange(2, costPerRow: 1 << 16) { outer in
                        for o in outer {
                            nestedStarted[o] = RowHelpers.shared.run(2) { _ in }
                            forEachRowRange(100, costPerRow: 1 << 16) { inner in
                                for i in inner { seen[o * 100 + i] += 1 }
                            }
                        }
                    }
                }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        #expect(nestedStarted == [false, false])
    }
}
