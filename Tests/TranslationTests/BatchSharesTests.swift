/// The shares of a batch that data-parallel training gives its replicas and processes:
/// runs of the batch, end to end, cut where their work balances.
import Testing
@testable import Translation
@testable import Autodiff

struct BatchSharesTests {
    let pairs: [(source: [Int], target: [Int])] = {
        var generator = SeededGenerator(seed: 3)
        return (0..<203).map { _ in
            let lengths = (1 + Int(generator.next() % 12), 1 + Int(generator.next() % 12))
            return ((0..<lengths.0).map { _ in 4 + Int(generator.next() % 40) },
                    (0..<lengths.1).map { _ in 4 + Int(generator.next() % 40) })
        }
    }()
    /// The RNN's proportions at the Multi30k size, about 1 : 3 : 7.
    let work = WorkPerPosition(sourcePosition: 10, targetPosition: 27, targetToken: 73)

    /// The work of sentences `run` of `batch`, padded to their own longest.
    func work(of run: Range<Int>, in batch: Batch, _ batcher: Batcher) -> Int {
        let held = run.map { batcher.pairs[batch.indices[$0]] }
        return work.ofBatch(sentences: held.count, sourceSteps: held.map { $0.source.count + 1 }.max() ?? 0,
                            targetSteps: held.map { $0.target.count + 1 }.max() ?? 0,
                            targetTokens: held.reduce(0) { $0 + $1.target.count + 1 })
    }

    /// Every batch of an epoch at 3 × 8 sentences is its three shares end to end, none of
    /// them empty, and their tokens add up to the batch's.
    @Test func theSharesOfABatchAreTheBatch() {
        let batcher = Batcher(pairs: pairs, batchSize: 3 * 8)
        var generator = SeededGenerator(seed: 5)
        let batches = batcher.epoch(using: &generator)
        #expect(batches.contains { $0.batchSize < 24 })
        for batch in batches {
            let shares = (0..<3).compactMap { batcher.share(of: batch, rank: $0, processes: 3, work: work) }
            #expect(shares.count == 3)
            #expect(shares.flatMap(\.indices) == batch.indices)
            #expect(shares.map(\.targetTokens).reduce(0, +) == batch.targetTokens)
        }
    }

    /// No cut of a batch into two or three runs has a largest run of less work than the
    /// shares', tried against every cut there is.
    @Test(arguments: [2, 3]) func noCutHasLessWorkInItsLargestRun(processes: Int) {
        let batcher = Batcher(pairs: pairs, batchSize: 16)
        var generator = SeededGenerator(seed: 6)
        for batch in batcher.epoch(using: &generator).prefix(6) {
            let runs = batcher.balancedRuns(of: batch, into: processes, work: work)
            let largest = runs.map { work(of: $0, in: batch, batcher) }.max()!
            let count = batch.batchSize
            var best = Int.max
            for first in 1..<count {
                if processes == 2 {
                    best = min(best, max(work(of: 0..<first, in: batch, batcher), work(of: first..<count, in: batch, batcher)))
                    continue
                }
                for second in (first + 1)..<count {
                    best = min(best, [0..<first, first..<second, second..<count].map { work(of: $0, in: batch, batcher) }.max()!)
                }
            }
            #expect(largest == best)
        }
    }

    /// Sentences all of one length are shared out equally.
    @Test func sentencesOfOneLengthAreSharedEqually() {
        let alike = (0..<24).map { _ in (source: [5, 6, 7], target: [8, 9]) }
        let batcher = Batcher(pairs: alike, batchSize: 24)
        let batch = batcher.batchesInOrder()[0]
        let sizes = (0..<3).map { batcher.share(of: batch, rank: $0, processes: 3, work: work)?.batchSize }
        #expect(sizes == [8, 8, 8])
    }

    /// A batch sorted short to long, as the batcher sorts them, gives the process with the
    /// short sentences more of them: halves would leave it waiting for the long half.
    @Test func theShortSentencesGoInTheLargerShare() {
        let short = (0..<8).map { _ in (source: [5, 6], target: [7]) }
        let long = (0..<8).map { _ in (source: Array(repeating: 5, count: 12), target: Array(repeating: 7, count: 14)) }
        let batcher = Batcher(pairs: short + long, batchSize: 16)
        let batch = batcher.batchesInOrder()[0]
        let first = batcher.share(of: batch, rank: 0, processes: 2, work: work)!
        let second = batcher.share(of: batch, rank: 1, processes: 2, work: work)!
        #expect(first.batchSize > 8)
        #expect(first.indices + second.indices == Array(0..<16))
        let (w0, w1) = (work(of: 0..<first.batchSize, in: batch, batcher), work(of: first.batchSize..<16, in: batch, batcher))
        #expect(max(w0, w1) < work(of: 8..<16, in: batch, batcher))
    }

    /// A batch of fewer sentences than processes gives one each to the first ranks.
    @Test func aBatchSmallerThanTheProcessesLeavesTheLastSharesEmpty() {
        let batcher = Batcher(pairs: Array(pairs.prefix(2)), batchSize: 2)
        let batch = batcher.batchesInOrder()[0]
        let shares = (0..<3).map { batcher.share(of: batch, rank: $0, processes: 3, work: work)?.indices }
        #expect(shares == [[0], [1], nil])
    }

    /// A model's work per position counts the weights of the parts each position goes
    /// through, by their checkpoint names.
    @Test(arguments: [ModelConfig.Architecture.rnn, .transformer])
    func aModelCountsTheWeightsOfItsParts(architecture: ModelConfig.Architecture) {
        let config = architecture == .rnn ? tinyConfig(size: 4) : tinyTransformerConfig()
        var generator = SeededGenerator(seed: 8)
        let model = config.makeModel(sourceVocabularySize: 12, targetVocabularySize: 14, generator: &generator)
        func weights(_ prefixes: [String]) -> Int {
            model.namedParameters.filter { named in prefixes.contains { named.name.hasPrefix($0) } }
                .reduce(0) { $0 + $1.tensor.count }
        }
        let expected = architecture == .rnn
            ? WorkPerPosition(sourcePosition: weights(["encoder.rnn."]),
                              targetPosition: weights(["decoder.rnn.", "attention."]),
                              targetToken: weights(["output."]))
            : WorkPerPosition(sourcePosition: weights(["encoder.layers."]), targetPosition: weights(["decoder.layers."]),
                              targetToken: weights(["output.weight"]))
        #expect(model.workPerPosition == expected)
        #expect(expected.sourcePosition > 0 && expected.targetPosition > 0 && expected.targetToken > 0)
    }
}
