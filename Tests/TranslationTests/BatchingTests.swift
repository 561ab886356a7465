/// Tests of batch layout and of the batcher's epochs.
import Testing
import Translation
@testable import Autodiff
@testable import Text

struct BatchingTests {
    /// 1,000 pairs of lengths 1–30, with ids ≥ 4 so that no token looks like a special.
    let pairs: [(source: [Int], target: [Int])] = {
        var generator = SeededGenerator(seed: 1)
        return (0..<1000).map { _ in
            let sourceLength = 1 + Int(generator.next() % 30)
            let targetLength = 1 + Int(generator.next() % 30)
            return (
                (0..<sourceLength).map { _ in 4 + Int(generator.next() % 50) },
                (0..<targetLength).map { _ in 4 + Int(generator.next() % 50) }
            )
        }
    }()

    @Test func laysOutABatchTimeMajor() {
        let batch = Batch(
            sources: [[10, 11, 12], [20]], targets: [[30], [40, 41]], indices: [7, 3])
        let (pad, bos, eos) = (Vocabulary.pad, Vocabulary.bos, Vocabulary.eos)
        #expect(batch.batchSize == 2)
        #expect(batch.sourceSteps == 4)
        #expect(batch.source == [10, 20, 11, eos, 12, pad, eos, pad])
        #expect(batch.sourceLengths == [4, 2])
        #expect(batch.targetSteps == 3)
        #expect(batch.targetInput == [bos, bos, 30, 40, pad, 41])
        #expect(batch.targetOutput == [30, 40, eos, 41, pad, eos])
        #expect(batch.targetLengths == [2, 3])
        #expect(batch.targetTokens == 5)
        #expect(batch.indices == [7, 3])
    }

    @Test func buildsSourceOnlyBatchesLongestFirst() {
        let sources = [[5], [6, 7], [8, 9, 10], [11], [12]]
        let batches = Batcher.decodingBatches(sources: sources, batchSize: 2)
        #expect(batches.map(\.indices) == [[2, 1], [0, 3], [4]])
        #expect(batches[0].source == [8, 6, 9, 7, 10, Vocabulary.eos, Vocabulary.eos, Vocabulary.pad])
        #expect(batches[1].sourceLengths == [2, 2])
        #expect(
            batches.allSatisfy {
                $0.targetSteps == 0 && $0.targetOutput.isEmpty && $0.targetTokens == 0
            })
    }

    @Test func batchesInOrderFollowTheCorpus() {
        let batcher = Batcher(pairs: pairs, batchSize: 64)
        #expect(batcher.batchesInOrder().flatMap(\.indices) == Array(pairs.indices))
    }

    @Test func everyPairAppearsOncePerEpochWithItsOwnTokens() {
        let batcher = Batcher(pairs: pairs, batchSize: 32, poolFactor: 4)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<3 {
            let batches = batcher.epoch(using: &generator)
            #expect(batches.flatMap(\.indices).sorted() == Array(pairs.indices))
            for batch in batches {
                #expect(batch.batchSize <= 32)
                check(batch)
            }
        }
    }

    /// Each sentence's ids, `</s>`, then only `<pad>`; lengths and counts to match.
    func check(_ batch: Batch) {
        let b = batch.batchSize
        for (column, index) in batch.indices.enumerated() {
            let source = (0..<batch.sourceSteps).map { batch.source[$0 * b + column] }
            let input = (0..<batch.targetSteps).map { batch.targetInput[$0 * b + column] }
            let output = (0..<batch.targetSteps).map { batch.targetOutput[$0 * b + column] }
            let (x, y) = pairs[index]
            let sourcePadding = [Int](
                repeating: Vocabulary.pad, count: batch.sourceSteps - x.count - 1)
            let targetPadding = [Int](
                repeating: Vocabulary.pad, count: batch.targetSteps - y.count - 1)
            #expect(source == x + [Vocabulary.eos] + sourcePadding)
            #expect(input == [Vocabulary.bos] + y + targetPadding)
            #expect(output == y + [Vocabulary.eos] + targetPadding)
            #expect(batch.sourceLengths[column] == x.count + 1)
            #expect(batch.targetLengths[column] == y.count + 1)
        }
        #expect(batch.sourceSteps == batch.sourceLengths.max())
        #expect(batch.targetSteps == batch.targetLengths.max())
        #expect(batch.targetTokens == batch.targetOutput.filter { $0 != Vocabulary.pad }.count)
    }

    @Test func sameGeneratorStateGivesTheSameEpoch() {
        let batcher = Batcher(pairs: pairs, batchSize: 16)
        var first = SeededGenerator(seed: 9)
        var second = SeededGenerator(seed: 9)
        #expect(batcher.epoch(using: &first) == batcher.epoch(using: &second))
        #expect(first.state == second.state)
    }

    @Test func eachEpochHasANewOrder() {
        let batcher = Batcher(pairs: pairs, batchSize: 16)
        var generator = SeededGenerator(seed: 9)
        let one = batcher.epoch(using: &generator).map(\.indices)
        let two = batcher.epoch(using: &generator).map(\.indices)
        #expect(one != two)
        #expect(Set(one) != Set(two), "the batches themselves change, not only their order")
    }

    @Test func groupsSimilarLengthsToSavePadding() {
        let batcher = Batcher(pairs: pairs, batchSize: 16, poolFactor: 100)
        var generator = SeededGenerator(seed: 3)
        let padded = batcher.epoch(using: &generator).reduce(0) { $0 + $1.source.count }
        let real = pairs.reduce(0) { $0 + $1.source.count + 1 }
        // Unsorted batches of lengths 1–30 would be about half padding.
        #expect(Double(padded) < 1.05 * Double(real))
    }

    @Test func respectsTheTokenBudget() {
        let batcher = Batcher(pairs: pairs, batchSize: 1000, tokenBudget: 200)
        var generator = SeededGenerator(seed: 5)
        let batches = batcher.epoch(using: &generator)
        #expect(batches.flatMap(\.indices).count == pairs.count)
        for batch in batches {
            #expect(batch.batchSize * batch.targetSteps <= 200)
        }
        let tiny = Batcher(pairs: pairs, batchSize: 8, tokenBudget: 1)
        #expect(
            tiny.batchesInOrder().allSatisfy { $0.batchSize == 1 },
            "a pair over the budget still gets a batch")
    }

    @Test func handlesAnEmptyCorpus() {
        var generator = SeededGenerator(seed: 1)
        #expect(Batcher(pairs: [], batchSize: 4).epoch(using: &generator).isEmpty)
        #expect(Batcher.decodingBatches(sources: [], batchSize: 4).isEmpty)
    }
}
