/// Training a Transformer: the inverse-square-root schedule, token-budget batches, and
/// resuming either exactly.

import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import NeuralNet

struct TransformerTrainingTests {
    /// The fixture's corpus with a tiny Transformer, the inverse-sqrt schedule (warm-up
    /// of 4 steps) and batches of at most 30 padded target tokens.
    func fixture() throws -> TrainingFixture {
        var fixture = try TrainingFixture()
        fixture.config.model = tinyTransformerConfig(size: 8, layers: 1)
        fixture.config.model.dropout = 0.2
        fixture.config.training.schedule = .inverseSqrt
        fixture.config.training.warmupSteps = 4
        fixture.config.training.learningRate = 0.01
        fixture.config.training.batchTokens = 30
        fixture.config.training.adamBeta2 = 0.98
        fixture.config.training.adamEpsilon = 1e-9
        fixture.config.training.labelSmoothing = 0.1
        return fixture
    }

    /// The rate rises linearly to its peak at the end of the warm-up, then falls as 1/√step;
    /// it is the paper's factor · d^-0.5 · min(step^-0.5, step · warmup^-1.5) with the
    /// factor that puts that peak at `peak`.
    @Test func inverseSquareRootSchedule() {
        let schedule = InverseSquareRootSchedule(peak: 0.001, warmup: 100)
        for (step, rate) in [(1, 0.00001), (50, 0.0005), (100, 0.001), (400, 0.0005)] as [(Int, Float)] {
            #expect(abs(schedule.rate(step: step) - rate) < 1e-6 * rate, "step \(step)")
        }
        let (d, factor) = (256.0, 0.001 * (256.0 * 100).squareRoot())
        for step in [1, 7, 99, 100, 101, 5000] {
            let paper = factor * pow(d, -0.5) * min(pow(Double(step), -0.5), Double(step) * pow(100, -1.5))
            #expect(abs(Double(schedule.rate(step: step)) - paper) < 1e-6 * paper, "step \(step)")
        }
    }

    /// Token-budget batches: every pair once per epoch, each batch within the budget of
    /// padded target tokens (one pair alone may exceed it), the same epoch for the same
    /// generator state, and another order in the next epoch.
    @Test func batchesFillTheTokenBudget() throws {
        let fixture = try fixture()
        let data = try TrainingData(corpus: fixture.train, tokenizer: .init(), maxLength: 50,
                                    config: fixture.config.vocabulary)
        let batcher = fixture.config.training.batcher(pairs: data.pairs)
        var generator = SeededGenerator(seed: 3), again = SeededGenerator(seed: 3)
        let epoch = batcher.epoch(using: &generator)
        #expect(epoch == batcher.epoch(using: &again))
        #expect(epoch.flatMap(\.indices).sorted() == Array(data.pairs.indices))
        #expect(epoch.allSatisfy { $0.batchSize * $0.targetSteps <= 30 || $0.batchSize == 1 })
        #expect(epoch.contains { $0.batchSize * $0.targetSteps > 20 }, "batches are filled, not just capped")
        #expect(batcher.epoch(using: &generator).map(\.indices) != epoch.map(\.indices))
    }

    /// Stopped after `k` steps (in the warm-up, after it, right after a validation) and
    /// resumed, a Transformer with the inverse-sqrt schedule and token-budget batches ends
    /// bitwise where the uninterrupted run ends: losses, log, weights, state.
    @Test(arguments: [2, 5, 9])
    func stoppedAndResumedEqualsUninterrupted(stopAfter k: Int) throws {
        let uninterrupted = try fixture()
        var expected = TrainingRecord()
        try expected.run(try uninterrupted.newTrainer())
        #expect(expected.log.map(\.learningRate) != expected.log.map { _ in expected.log[0].learningRate })

        let fixture = try fixture()
        var record = TrainingRecord()
        try record.run(try fixture.newTrainer(), stopAfter: k)
        let resumed = try fixture.resumedTrainer()
        #expect(resumed.state.step == k)
        try record.run(resumed)
        #expect(record.losses == expected.losses)
        #expect(record.weights == expected.weights)
        #expect(record.log.map(\.withoutTimings) == expected.log.map(\.withoutTimings))
        #expect(record.state == expected.state)
    }

    /// The schedule sets each step's rate from the step count alone: the plateau rule
    /// never halves it.
    @Test func inverseSqrtIsNotHalvedOnAPlateau() throws {
        var record = TrainingRecord()
        let fixture = try fixture()
        try record.run(try fixture.newTrainer())
        let schedule = InverseSquareRootSchedule(peak: 0.01, warmup: 4)
        for entry in record.log { #expect(Float(entry.learningRate) == schedule.rate(step: entry.step)) }
    }
}
