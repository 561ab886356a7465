/// A process's share of a batch, in data-parallel training.

extension Batcher {
    /// Process `rank`'s share, of `processes`, of `batch` (one that this batcher made): a
    /// run of the batch's sentences, in the batch's order, from `balancedRuns`, or nil
    /// when the batch has fewer sentences than there are processes and leaves this rank
    /// none.
    ///
    /// Why this gives the single-process update: all processes draw the same epoch of
    /// batches of processes × B sentences (the same generator, the same pairs), the batches
    /// a single process with batch size processes × B draws, and the shares of one batch
    /// hold each of its sentences exactly once. So the shares' token losses, and their
    /// target tokens, add up to the batch's; only the order of the sums differs.
    public func share(of batch: Batch, rank: Int, processes: Int, work: WorkPerPosition) -> Batch? {
        precondition(processes > 0 && (0..<processes).contains(rank), "rank \(rank) of \(processes) processes")
        let held = balancedRuns(of: batch, into: processes, work: work)[rank]
        guard !held.isEmpty else { return nil }
        return self.batch(of: Array(batch.indices[held]))
    }

    /// The batch's sentences cut into `processes` runs, one after the other, so that the
    /// run with the most work (`WorkPerPosition`, each run padded to its own longest
    /// sentences) has as little as any such cut allows; every run holds a sentence when
    /// the batch has as many as there are processes, and otherwise runs of one sentence
    /// go to the first ranks.
    ///
    /// Why not runs of equal size: the batcher sorts a batch's sentences by source and
    /// then target length, so the first half of a batch is the shorter, and the process
    /// given it waits, at every step, for the process given the longer half. With two
    /// training replicas at the Multi30k size, equal runs kept the faster waiting 4.6–6.8%
    /// of the time the slower took, balanced runs 2.3–3.3% (docs/training-profile.md).
    /// Dealing the sentences out in turn instead would give every run the batch's longest
    /// lengths, and the padding that goes with them.
    ///
    /// The search is exact and small: least[k][j], the least largest work of the first j
    /// sentences cut into k + 1 runs, is the least, over the start i of the last run, of
    /// the larger of least[k − 1][i] and the work of sentences i..<j. The first (smallest)
    /// such i is kept, so every process finds the same cut.
    func balancedRuns(of batch: Batch, into processes: Int, work: WorkPerPosition) -> [Range<Int>] {
        let count = batch.batchSize
        guard count > processes else {
            return (0..<processes).map { $0 < count ? $0..<($0 + 1) : count..<count }
        }
        // runWork[i][j]: the work of sentences i..<j as a batch of their own.
        var runWork = [[Int]](repeating: [Int](repeating: 0, count: count + 1), count: count + 1)
        for i in 0..<count {
            var (sourceSteps, targetSteps, targetTokens) = (0, 0, 0)
            for j in (i + 1)...count {
                let pair = pairs[batch.indices[j - 1]]
                sourceSteps = max(sourceSteps, pair.source.count + 1)
                targetSteps = max(targetSteps, pair.target.count + 1)
                targetTokens += pair.target.count + 1
                runWork[i][j] = work.ofBatch(sentences: j - i, sourceSteps: sourceSteps, targetSteps: targetSteps,
                                             targetTokens: targetTokens)
            }
        }
        var least = [runWork[0]]
        var lastStart = [[Int]](repeating: [Int](repeating: 0, count: count + 1), count: processes)
        for k in 1..<processes {
            var row = [Int](repeating: .max, count: count + 1)
            for j in (k + 1)...count {
                for i in k..<j where max(least[k - 1][i], runWork[i][j]) < row[j] {
                    row[j] = max(least[k - 1][i], runWork[i][j])
                    lastStart[k][j] = i
                }
            }
            least.append(row)
        }
        var runs: [Range<Int>] = []
        var end = count
        for k in stride(from: processes - 1, through: 0, by: -1) {
            runs.append(lastStart[k][end]..<end)
            end = lastStart[k][end]
        }
        return runs.reversed()
    }
}
