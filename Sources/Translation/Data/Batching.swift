/// Batches of padded, time-major token ids, and the batcher that makes them each epoch.
import Autodiff
import Text

/// A batch of sentence pairs, laid out time-major: the id at step `t` of sentence `b` is at
/// index `t * batchSize + b`, so that one step of the whole batch is a contiguous row.
///
/// With source `x_1 … x_k` and target `y_1 … y_l`, sentence `b` holds
/// - `source`: `x_1 … x_k </s>`, then `<pad>` up to `sourceSteps`;
/// - `targetInput`: `<s> y_1 … y_l`, then `<pad>` up to `targetSteps` (the decoder's inputs);
/// - `targetOutput`: `y_1 … y_l </s>`, then `<pad>` (what the decoder should predict).
///
/// A batch built for decoding has no target: `targetSteps` is 0 and the target arrays are
/// empty.
public struct Batch: Equatable, Sendable {
    /// The number of sentences, B.
    public let batchSize: Int
    /// The longest source length, `</s>` included: n.
    public let sourceSteps: Int
    /// The longest target length, `</s>` included: m.
    public let targetSteps: Int
    /// [n, B] source ids.
    public let source: [Int]
    /// [B] source lengths, `</s>` included.
    public let sourceLengths: [Int]
    /// [m, B] decoder input ids.
    public let targetInput: [Int]
    /// [m, B] decoder output ids.
    public let targetOutput: [Int]
    /// [B] target lengths, `</s>` included.
    public let targetLengths: [Int]
    /// The number of ids in `targetOutput` that are not `<pad>`: the loss's denominator.
    public let targetTokens: Int
    /// [B] the index, in the batcher's list, of each sentence pair held.
    public let indices: [Int]

    /// A batch of `sources[b]` paired with `targets[b]`, both without specials.
    public init(sources: [[Int]], targets: [[Int]], indices: [Int]) {
        precondition(sources.count == targets.count && sources.count == indices.count)
        batchSize = sources.count
        self.indices = indices
        (source, sourceLengths, sourceSteps) = Self.timeMajor(sources.map { $0 + [Vocabulary.eos] })
        (targetInput, _, _) = Self.timeMajor(targets.map { [Vocabulary.bos] + $0 })
        (targetOutput, targetLengths, targetSteps) = Self.timeMajor(
            targets.map { $0 + [Vocabulary.eos] })
        targetTokens = targetLengths.reduce(0, +)
    }

    /// A batch of source sentences alone, to be translated.
    public init(sources: [[Int]], indices: [Int]) {
        precondition(sources.count == indices.count)
        batchSize = sources.count
        self.indices = indices
        (source, sourceLengths, sourceSteps) = Self.timeMajor(sources.map { $0 + [Vocabulary.eos] })
        (targetInput, targetOutput, targetLengths) = ([], [], [])
        (targetSteps, targetTokens) = (0, 0)
    }

    /// Sequences padded to the longest and interleaved step by step.
    private static func timeMajor(
        _ sequences: [[Int]]
    ) -> (ids: [Int], lengths: [Int], steps: Int) {
        let lengths = sequences.map(\.count)
        let steps = lengths.max() ?? 0
        let batchSize = sequences.count
        var ids = [Int](repeating: Vocabulary.pad, count: steps * batchSize)
        for (b, sequence) in sequences.enumerated() {
            for (t, id) in sequence.enumerated() { ids[t * batchSize + b] = id }
        }
        return (ids, lengths, steps)
    }
}

/// Groups encoded sentence pairs into batches of similar length, in a new random order
/// every epoch.
///
/// Each epoch:
/// 1. shuffle all pairs and cut them into pools of `poolFactor` batches' worth of pairs
///    (`poolFactor × batchSize`, or with a token budget, as many pairs as `poolFactor`
///    budgets hold at the corpus's mean target length);
/// 2. sort each pool by source length, then target length, so neighbours are alike and a
///    batch wastes little on padding;
/// 3. cut each pool into batches of at most `batchSize` pairs and, if a token budget is
///    set, at most `tokenBudget` padded target tokens (B × m, as the loss is counted);
/// 4. shuffle the batches, so that an epoch does not run from short to long sentences.
///
/// The pools keep step 2 from sorting the whole corpus, which would give the same
/// batches every epoch. All randomness comes from the generator passed in, so a given
/// generator state always gives the same epoch.
public struct Batcher: Sendable {
    /// The pairs to batch, as ids without specials.
    public let pairs: [(source: [Int], target: [Int])]
    public let batchSize: Int
    /// The most padded target tokens (B × m) a batch may hold; one pair alone may exceed it.
    public let tokenBudget: Int?
    /// How many batches' worth of pairs are sorted together.
    public let poolFactor: Int

    public init(
        pairs: [(source: [Int], target: [Int])], batchSize: Int, tokenBudget: Int? = nil,
        poolFactor: Int = 100
    ) {
        precondition(batchSize > 0 && poolFactor > 0, "batch size and pool factor must be positive")
        self.pairs = pairs
        self.batchSize = batchSize
        self.tokenBudget = tokenBudget
        self.poolFactor = poolFactor
    }

    /// One epoch's batches, every pair in exactly one of them.
    public func epoch(using generator: inout SeededGenerator) -> [Batch] {
        var order = Array(pairs.indices)
        shuffle(&order, using: &generator)
        var groups: [[Int]] = []
        // A batch size beyond any corpus (from a careless --batch-size) must not overflow.
        let (product, overflow) = poolFactor.multipliedReportingOverflow(by: pairsPerBatch)
        let poolSize = overflow ? Int.max : product
        for start in stride(from: 0, to: order.count, by: poolSize) {
            let pool = order[start..<(start + min(poolSize, order.count - start))]
            // The position in the shuffled pool breaks ties, so the order does not depend on
            // whether the standard library's sort is stable.
            let sorted = pool.enumerated().sorted { a, b in
                let (x, y) = (pairs[a.element], pairs[b.element])
                if x.source.count != y.source.count { return x.source.count < y.source.count }
                if x.target.count != y.target.count { return x.target.count < y.target.count }
                return a.offset < b.offset
            }
            groups += cut(sorted.map(\.element))
        }
        shuffle(&groups, using: &generator)
        return groups.map(batch(of:))
    }

    /// Batches of the pairs in their given order, unshuffled and unsorted: for validation
    /// loss and scoring, where results must line up with the corpus.
    public func batchesInOrder() -> [Batch] {
        cut(Array(pairs.indices)).map(batch(of:))
    }

    /// Batches of source sentences alone, for translation, longest sources first (ties in
    /// their given order). Sentences of alike length make alike translations, so a batch's
    /// rows finish decoding at about the same step instead of waiting for one long outlier;
    /// each batch's `indices` say where its sentences came from.
    public static func decodingBatches(sources: [[Int]], batchSize: Int) -> [Batch] {
        precondition(batchSize > 0, "batch size must be positive")
        let order = sources.indices.sorted { a, b in
            sources[a].count != sources[b].count ? sources[a].count > sources[b].count : a < b
        }
        return stride(from: 0, to: order.count, by: batchSize).map { start in
            let indices = Array(order[start..<min(start + batchSize, order.count)])
            return Batch(sources: indices.map { sources[$0] }, indices: indices)
        }
    }

    /// About how many pairs a batch holds: `batchSize`, or under a token budget, as many
    /// as it holds at the mean target length (`</s>` included), at most `batchSize`.
    private var pairsPerBatch: Int {
        guard let tokenBudget, !pairs.isEmpty else { return batchSize }
        let meanLength = pairs.reduce(0) { $0 + $1.target.count + 1 } / pairs.count
        return min(batchSize, max(1, tokenBudget / meanLength))
    }

    /// Consecutive groups of at most `batchSize` pairs and at most `tokenBudget` padded
    /// target tokens.
    private func cut(_ indices: [Int]) -> [[Int]] {
        var groups: [[Int]] = []
        var group: [Int] = []
        var longest = 0
        for index in indices {
            // The target's length with the `</s>` that the batch adds.
            let length = pairs[index].target.count + 1
            let wouldHold = (group.count + 1) * max(longest, length)
            let full = group.count == batchSize || tokenBudget.map { wouldHold > $0 } == true
            if full && !group.isEmpty {
                groups.append(group)
                group = []
                longest = 0
            }
            group.append(index)
            longest = max(longest, length)
        }
        if !group.isEmpty { groups.append(group) }
        return groups
    }

    /// The batch of the pairs at `indices`, in that order: an epoch's groups, and a
    /// process's share of a batch (`Batcher+Shares.swift`).
    func batch(of indices: [Int]) -> Batch {
        Batch(
            sources: indices.map { pairs[$0].source }, targets: indices.map { pairs[$0].target },
            indices: indices)
    }
}

/// Fisher–Yates, written out rather than the standard library's `shuffle(using:)`, whose
/// algorithm may change between Swift versions: a resumed run must see the same order.
/// The modulo's bias is below 2⁻³² for any array that fits in memory.
private func shuffle<Element>(_ elements: inout [Element], using generator: inout SeededGenerator) {
    guard elements.count > 1 else { return }
    for i in stride(from: elements.count - 1, to: 0, by: -1) {
        let j = Int(generator.next() % UInt64(i + 1))
        elements.swapAt(i, j)
    }
}
