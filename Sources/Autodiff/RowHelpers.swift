/// The threads that share a row-parallel loop with the thread that runs it.
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Helper threads for `forEachRowRange`: the calling thread computes part 0 of a loop and
/// helper i part i + 1, and the caller returns when every helper has finished its part.
///
/// One sentence's decoding step is a dozen loops of a few tens of microseconds each (its
/// matrix–vector products and the work between them). Handed to libdispatch's pool, each
/// loop has to wake a worker that has gone to sleep, and on a virtual machine a sleeping
/// CPU wakes slowly. These helpers, like OpenMP's and OpenBLAS's threads, wait for the
/// next loop by watching a counter for a while (`spinNanoseconds`) and sleep only when
/// none comes.
///
/// One loop runs at a time. A loop started while another holds the helpers (from another
/// thread, or from inside a part) goes to libdispatch's pool, which gives the same values:
/// `forEachRowRange` computes every row by the same instructions on any thread.
final class RowHelpers: @unchecked Sendable {
    static let shared = RowHelpers(spinNanoseconds: 200_000)

    /// How long an idle helper watches for the next loop before it sleeps: longer than
    /// the gaps between one decoding step's loops (`shared` watches for 200 µs), short
    /// enough that an idle process soon stops using the cores.
    let spinNanoseconds: UInt64

    init(spinNanoseconds: UInt64) {
        self.spinNanoseconds = spinNanoseconds
    }

    /// Whether a loop holds the helpers.
    private let busy = Atomic<Bool>(false)
    /// The loops handed out, counted in units of `loopUnit`, plus the number of parts of
    /// the latest: from one load a helper learns that a new loop has come and whether it
    /// has a part in it. One without a part need not answer, and a helper that comes late
    /// to a loop it has no part in cannot mistake the next loop's part for its own.
    private let loop = Atomic<Int>(0)
    private static let loopUnit = 1 << 16
    /// Helpers that have not yet finished their part of the current loop.
    private let unfinished = Atomic<Int>(0)
    /// The helpers started so far, helper i at index i; only the holder of `busy` starts
    /// more.
    nonisolated(unsafe) private var helpers: [Helper] = []
    /// The current loop's parts: written by the holder of `busy` before `loop` moves, read
    /// by the helpers with a part after they see it move, cleared once they have finished.
    nonisolated(unsafe) private var part: ((Int) -> Void)? = nil

    /// Runs `part(0)`, …, `part(count − 1)`, part 0 on the calling thread and the others on
    /// helpers, and returns true when all have finished; returns false at once, having
    /// run nothing, if another loop holds the helpers.
    func run(_ count: Int, _ part: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        precondition(count < Self.loopUnit, "RowHelpers: \(count) parts")
        while helpers.count < count - 1 { startHelper() }
        withoutActuallyEscaping(part) { part in
            self.part = part
            unfinished.store(count - 1, ordering: .relaxed)
            let latest = loop.load(ordering: .relaxed)
            loop.store(latest - latest % Self.loopUnit + Self.loopUnit + count, ordering: .sequentiallyConsistent)
            // Each helper with a part that has said it is going to sleep gets a signal of
            // its own: one semaphore for all would let a helper that has already finished
            // its part and gone back to sleep take the signal meant for one still asleep.
            for helper in helpers[..<(count - 1)]
            where helper.asleep.exchange(false, ordering: .sequentiallyConsistent) {
                helper.wake.signal()
            }
            part(0)
            // Waiting for parts that have not yet got a core would keep them from it:
            // after a short watch, the wait gives its core away between looks.
            var looks = 0
            while unfinished.load(ordering: .acquiring) > 0 {
                looks += 1
                if looks % 64 == 0 { sched_yield() }
            }
            self.part = nil
        }
        return true
    }

    private func startHelper() {
        let start = HelperStart(helpers: self, index: helpers.count, seen: loop.load(ordering: .relaxed))
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let start = Unmanaged<HelperStart>.fromOpaque(argument!).takeRetainedValue()
            start.helpers.serve(start.helper, index: start.index, seen: start.seen)
        }, Unmanaged.passRetained(start).toOpaque())
        precondition(created == 0, "RowHelpers: pthread_create failed (\(created))")
        pthread_detach(thread)
        helpers.append(start.helper)
    }

    /// A helper's life: wait for the next loop, and if it has a part `index + 1`, do it
    /// and say it has finished.
    private func serve(_ helper: Helper, index: Int, seen: Int) -> Never {
        var seen = seen
        while true {
            seen = nextLoop(after: seen, helper)
            if index + 1 < seen % Self.loopUnit {
                runPart(index + 1)
                unfinished.subtract(1, ordering: .releasing)
            }
        }
    }

    /// Calls the current loop's `part`; a function of its own, so that the reference it
    /// takes to the closure is given back before the helper says it has finished.
    @inline(never)
    private func runPart(_ index: Int) { part!(index) }

    /// Waits until `loop` differs from `seen` and returns it: watching it for
    /// `spinNanoseconds`, giving the core to any other thread that wants it between looks,
    /// then asleep on the helper's own semaphore until a loop it has a part in starts.
    private func nextLoop(after seen: Int, _ helper: Helper) -> Int {
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + spinNanoseconds
            while DispatchTime.now().uptimeNanoseconds < deadline {
                for _ in 0..<64 {
                    let now = loop.load(ordering: .acquiring)
                    if now != seen { return now }
                }
                sched_yield()
            }
            // The flag goes up before the last look, so that a loop this look misses finds
            // the flag up and signals (both sequentially consistent: either the look sees
            // the loop, or the loop sees the flag). A helper that sees a loop in that last
            // look leaves the flag up; a later loop may then signal it while it is awake,
            // and its next wait returns at once, to look again.
            helper.asleep.store(true, ordering: .sequentiallyConsistent)
            let now = loop.load(ordering: .sequentiallyConsistent)
            if now != seen { return now }
            helper.wake.wait()
        }
    }
}

/// One helper thread's way to sleep: the flag it raises before it sleeps, and the
/// semaphore it sleeps on, which only the loop that lowers the flag signals.
private final class Helper: Sendable {
    let asleep = Atomic<Bool>(false)
    let wake = DispatchSemaphore(value: 0)
}

/// What a new helper thread needs to know, handed to it through `pthread_create`.
private final class HelperStart {
    let helpers: RowHelpers, helper = Helper(), index: Int, seen: Int
    init(helpers: RowHelpers, index: Int, seen: Int) {
        (self.helpers, self.index, self.seen) = (helpers, index, seen)
    }
}
