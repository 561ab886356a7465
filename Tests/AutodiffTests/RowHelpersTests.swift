/// The helper threads of row-parallel loops: every part once, the caller back only when all
/// have finished, helpers that slept woken, each for its own part, and a loop started
/// inside a loop refused.
///
/// Each test has helpers of its own: the shared ones serve every other suite running
/// beside these, and a loop that found them busy would go to libdispatch instead.

import Foundation
import Synchronization
import Testing
@testable import Autodiff
import TestSupport

struct RowHelpersTests {
    /// Each of four parts runs once, part 0 on the calling thread and the others on three
    /// other threads, and `run` returns only after the slowest has finished.
    @Test func everyPartRunsOnceAndTheCallerWaitsForAll() {
        let helpers = RowHelpers(spinNanoseconds: 200_000)
        let caller = pthread_self()
        var threads = [pthread_t?](repeating: nil, count: 4)
        var finished = [Bool](repeating: false, count: 4)
        let started = threads.withUnsafeMutableBufferPointer { threads in
            finished.withUnsafeMutableBufferPointer { finished in
                helpers.run(4) { part in
                    threads[part] = pthread_self()
                    if part == 3 { usleep(20_000) }
                    finished[part] = true
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
        let helpers = RowHelpers(spinNanoseconds: 200_000)
        let counts = Atomic<Int>(0)
        var started = 0
        for _ in 0..<5 {
            usleep(5_000)
            if helpers.run(2, { _ in counts.add(1, ordering: .relaxed) }) { started += 1 }
        }
        for _ in 0..<10_000 {
            if helpers.run(2, { _ in counts.add(1, ordering: .relaxed) }) { started += 1 }
        }
        #expect(started == 10_005)
        #expect(counts.load(ordering: .relaxed) == 2 * started)
    }

    /// Helpers that go to sleep the moment they finish a part are each woken for their
    /// next one. With one semaphore for all, a helper that had already finished its part
    /// and gone back to sleep could take the wake-up meant for one still asleep, which
    /// then slept through its part while the caller waited for it (a hang seen in CI).
    /// The loops run on a thread of their own, watched, so that a hang fails the test.
    @Test func helpersThatSleepAtOnceAreEachWokenForTheirPart() {
        let helpers = RowHelpers(spinNanoseconds: 0)
        let loops = 5_000
        let counts = Atomic<Int>(0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for _ in 0..<loops {
                _ = helpers.run(4) { _ in counts.add(1, ordering: .relaxed) }
            }
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 60) == .success
        #expect(finished, "\(counts.load(ordering: .relaxed)) of \(4 * loops) parts run")
        if finished { #expect(counts.load(ordering: .relaxed) == 4 * loops) }
    }

    /// A loop started inside a part, while the helpers are held, is refused; and a loop
    /// inside a loop through `forEachRowRange` still covers every row once.
    @Test func aLoopInsideALoopIsRefusedAndForEachRowRangeCoversEveryRow() {
        let helpers = RowHelpers(spinNanoseconds: 200_000)
        var nestedStarted = [Bool](repeating: true, count: 2)
        let started = nestedStarted.withUnsafeMutableBufferPointer { nestedStarted in
            helpers.run(2) { part in nestedStarted[part] = helpers.run(2) { _ in } }
        }
        #expect(started)
        #expect(nestedStarted == [false, false])

        var seen = [Int](repeating: 0, count: 2 * 100)
        withEngineThreads(2) {
            seen.withUnsafeMutableBufferPointer { seen in
                forEachRowRange(2, costPerRow: 1 << 16) { outer in
                    for o in outer {
                        forEachRowRange(100, costPerRow: 1 << 16) { inner in
                            for i in inner { seen[o * 100 + i] += 1 }
                        }
                    }
                }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
    }
}
