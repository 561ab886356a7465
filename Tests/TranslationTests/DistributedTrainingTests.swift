/// Tests of data-parallel training: the shares of a batch, and two ranks (threads, see
/// ``InProcessGroup``) at batch B against one process at batch 2B.
import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import Text

struct DistributedTrainingTests {
    let pairs: [(source: [Int], target: [Int])] = {
        var generator = SeededGenerator(seed: 3)
        return (0..<203).map { _ in
            let lengths = (1 + Int(generator.next() % 12), 1 + Int(generator.next() % 12))
            return ((0..<lengths.0).map { _ in 4 + Int(generator.next() % 40) },
                    (0..<lengths.1).map { _ in 4 + Int(generator.next() % 40) })
        }
    }()

    /// Every batch of an epoch at 3 × 8 sentences is its three shares end to end, each of
    /// 8 sentences when the batch is full, and their tokens add up to the batch's.
    @Test func theSharesOfABatchAreTheBatch() {
        let batcher = Batcher(pairs: pairs, batchSize: 3 * 8)
        var generator = SeededGenerator(seed: 5)
        let batches = batcher.epoch(using: &generator)
        #expect(batches.contains { $0.batchSize < 24 })
        for batch in batches {
            let shares = (0..<3).compactMap { batcher.share(of: batch, rank: $0, processes: 3) }
            #expect(shares.flatMap(\.indices) == batch.indices)
            #expect(shares.map(\.targetTokens).reduce(0, +) == batch.targetTokens)
            if batch.batchSize == 24 { #expect(shares.map(\.batchSize) == [8, 8, 8]) }
        }
    }

    @Test func aBatchSmallerThanTheProcessesLeavesSharesEmpty() {
        let batcher = Batcher(pairs: Array(pairs.prefix(1)), batchSize: 2)
        let batch = batcher.batchesInOrder()[0]
        #expect(batcher.share(of: batch, rank: 0, processes: 2) == nil)
        #expect(batcher.share(of: batch, rank: 1, processes: 2)?.indices == [0])
    }

    /// Without dropout, two ranks at batch 4 log the losses of one process at batch 8 and
    /// end with its weights, to a relative 1e-4; the two ranks hold the same weights.
    @Test func twoRanksAtBatchBTrainAsOneAtBatch2B() throws {
        var fixture = try TrainingFixture(pairs: 45)
        fixture.config.model.dropout = 0
        fixture.config.training.decayPatience = 100
        fixture.config.training.batchSize = 8
        let single = try fixture.newTrainer()
        try single.run { _ in }
        fixture.config.training.batchSize = 4
        let ranks = try trainInParallel(fixture, processes: 2)
        #expect(ranks[0].model.weights() == ranks[1].model.weights())
        for (one, two) in zip(single.model.weights(), ranks[0].model.weights()) {
            let largest = one.values.map(abs).max()!
            let difference = zip(one.values, two.values).map { abs($0 - $1) }.max()!
            #expect(difference <= 1e-4 * largest, "\(one.name)")
        }
        #expect(single.log.map(\.step) == ranks[0].log.map(\.step))
        for (one, two) in zip(single.log, ranks[0].log) {
            #expect(abs(one.trainLoss - two.trainLoss) <= 1e-4 * one.trainLoss)
        }
    }

    /// Trains `fixture`'s configuration into its checkpoint on `processes` threads, each a
    /// rank, and returns their trainers.
    private func trainInParallel(_ fixture: TrainingFixture, processes: Int) throws -> [Trainer] {
        let group = InProcessGroup(size: processes)
        nonisolated(unsafe) let fixture = fixture
        nonisolated(unsafe) var trainers = [Trainer?](repeating: nil, count: processes)
        nonisolated(unsafe) var failures: [String] = []
        let done = DispatchGroup()
        let lock = NSLock()
        for rank in 0..<processes {
            done.enter()
            Thread {
                defer { done.leave() }
                do {
                    let trainer = try Trainer(config: fixture.config, train: fixture.train, valid: fixture.valid,
                                              checkpoint: fixture.checkpoint, communicator: group.member(rank))
                    try trainer.run { _ in }
                    lock.withLock { trainers[rank] = trainer }
                } catch {
                    lock.withLock { failures.append("rank \(rank): \(error)") }
                }
            }.start()
        }
        done.wait()
        #expect(failures.isEmpty, "\(failures)")
        return trainers.compactMap { $0 }
    }
}
