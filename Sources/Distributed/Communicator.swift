/// What the processes of one data-parallel training say to each other.

/// The collective operations data-parallel training needs, over `size` processes of
/// which this one is `rank` (0 ..< size).
///
/// Every operation is collective: every process must call it, in the same order and with
/// arrays of the same length, or the processes wait for each other forever. The trainer
/// keeps that rule by making every decision that changes what comes next (stop, the
/// learning rate) either on every process from the same numbers, or on rank 0 and then
/// broadcast.
public protocol Communicator: AnyObject {
    /// This process's number: 0 ..< `size`. Rank 0 writes the checkpoint and the log.
    var rank: Int { get }
    /// The number of processes.
    var size: Int { get }
    /// Replaces `values`, on every process, by their element-wise sum over all processes.
    func allReduceSum(_ values: inout [Float])
    /// The sum of `value` over all processes, on every process.
    func allReduceSum(_ value: Double) -> Double
    /// Replaces `values` on every process by rank `root`'s.
    func broadcast(_ values: inout [Double], from root: Int)
    /// Prints `error: rank R: message` on standard error and ends every process at once,
    /// so that a failure on one is never a hang on the others. Does not return.
    func abort(message: String) -> Never
    /// Ends the processes' collective work, on every process, when training is done.
    func finish()
}

extension Communicator {
    /// Whether this process writes files and the log: rank 0 alone.
    public var writes: Bool { rank == 0 }
}
