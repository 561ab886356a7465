/// A process's share of a batch, in data-parallel training.

extension Batcher {
    /// Process `rank`'s share, of `processes`, of `batch` (one that this batcher made): its
    /// sentences `rank·count/processes ..< (rank+1)·count/processes`, in the batch's order,
    /// or nil when that range is empty.
    ///
    /// A full batch of processes × B sentences gives each process B of them, the rank-th
    /// run of B; the smaller last batch of an epoch is split as evenly as it goes. A batch
    /// of fewer sentences than processes leaves some shares empty.
    ///
    /// Why this gives the single-process update: all processes draw the same epoch of
    /// batches of processes × B sentences (the same generator, the same pairs), the batches
    /// a single process with batch size processes × B draws, and the shares of one batch
    /// hold each of its sentences exactly once. So the shares' token losses, and their
    /// target tokens, add up to the batch's; only the order of the sums differs.
    public func share(of batch: Batch, rank: Int, processes: Int) -> Batch? {
        precondition(processes > 0 && (0..<processes).contains(rank), "rank \(rank) of \(processes) processes")
        let count = batch.batchSize
        let held = (rank * count / processes)..<((rank + 1) * count / processes)
        guard !held.isEmpty else { return nil }
        let indices = Array(batch.indices[held])
        return Batch(sources: indices.map { pairs[$0].source }, targets: indices.map { pairs[$0].target },
                     indices: indices)
    }
}
