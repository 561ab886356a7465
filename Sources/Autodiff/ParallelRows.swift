/// Spreading independent rows of elementwise work over the cores.
import Dispatch

/// Runs `body` on consecutive ranges that together cover `0..<rows`, concurrently when
/// there are several threads and the work (`rows` × `costPerRow`, in elements) is large
/// enough to repay waking them. Each row is computed by exactly the same instructions
/// whichever range holds it, so the results are bitwise those of one thread.
public func forEachRowRange(_ rows: Int, costPerRow: Int, _ body: (Range<Int>) -> Void) {
    let threads = min(engineThreads.load(ordering: .relaxed), rows)
    guard threads > 1, rows * costPerRow >= 1 << 16 else {
        body(0..<rows)
        return
    }
    // The ranges are disjoint, so the threads never touch the same rows: sharing `body`
    // is safe although the compiler cannot prove it.
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) let part = { (part: Int) in body((part * rows / threads)..<((part + 1) * rows / threads)) }
        // The engine's helpers, which wait spinning for the next loop; when another loop
        // holds them, libdispatch's pool.
        if !RowHelpers.shared.run(threads, part) {
            DispatchQueue.concurrentPerform(iterations: threads) { part($0) }
        }
    }
}

/// Runs `body` on consecutive ranges that together cover `0..<count`, made of whole
/// blocks of `block` values (the last one shorter), shared among the threads as
/// `forEachRowRange` shares rows: for a pass over tens of millions of independent values
/// (an optimiser's update, a sum of gradients), where a range boundary inside a vector
/// would give its values another path than on one thread.
public func forEachBlockRange(_ count: Int, block: Int, costPerValue: Int = 1, _ body: (Range<Int>) -> Void) {
    forEachRowRange((count + block - 1) / block, costPerRow: costPerValue * block) { blocks in
        body((blocks.lowerBound * block)..<min(blocks.upperBound * block, count))
    }
}
