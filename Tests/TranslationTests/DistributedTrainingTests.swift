/// Tests of data-parallel training: two ranks (threads, see
/// ``InProcessGroup``) at batch B against one process at batch 2B.
import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import Text

struct DistributedTrainingTests {
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
