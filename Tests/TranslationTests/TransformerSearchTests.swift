/// Searches over the Transformer: the key/value caches change nothing but the cost.

import Foundation
import Testing
@testable import Translation
@testable import Autodiff
@testable import NeuralNet
@testable import Text

/// The decoded prefix of each row: all that a decoder without caches carries.
struct Prefix: RowSelectable {
    let words: [[Int]]
    func selecting(_ rows: [Int]) -> Prefix { Prefix(words: rows.map { words[$0] }) }
}

/// The same Transformer decoded as the PyTorch tutorials decode it: every step runs the
/// whole causal decoder again over the prefix `<s> y_1 … y_t` from empty caches and keeps
/// the last position. Slow, and independent of how the caches grow step by step.
struct UncachedTransformer: TranslationModel {
    let model: TransformerModel

    var kind: String { "uncached transformer" }
    var namedParameters: [(name: String, tensor: Tensor)] { model.namedParameters }
    var workPerPosition: WorkPerPosition { model.workPerPosition }

    func encode(source: [Int], lengths: [Int], dropout: inout SeededGenerator?) -> TransformerMemory {
        model.encode(source: source, lengths: lengths, dropout: &dropout)
    }

    func initialState(_ memory: TransformerMemory) -> Prefix {
        Prefix(words: [[Int]](repeating: [], count: memory.batchSize))
    }

    func decode(previous words: [Int], state: Prefix, memory: TransformerMemory) -> DecoderStep<Prefix> {
        let prefixes = zip(state.words, words).map { $0 + [$1] }
        let (batch, t, n, k, d) = (words.count, prefixes[0].count, memory.length, model.config.heads, model.config.modelSize)
        var noDropout: SeededGenerator? = nil
        let full = model.decoderStack(prefixes.flatMap { $0 }, state: model.initialState(memory), memory: memory,
                                      dropout: &noDropout)
        let last = (0..<batch).map { $0 * t + t - 1 }
        let output = Tensor.gather(full.output.reshaped([batch * t, d]), rows: last)          // [B, d]
        let cross = full.weights.last!.reshaped([batch, k, t, n]).swappingFirstAxes()      // [k, B, t, n]
            .reshaped([k * batch * t, n])
        let rows = (0..<k).flatMap { h in last.map { h * batch * t + $0 } }
        let alignment = Tensor.gather(cross, rows: rows).reshaped([k, batch, n]).mean(axis: 0)  // [B, n]
        return DecoderStep(logits: model.logits(output), state: Prefix(words: prefixes), alignment: alignment)
    }

    func tokenLosses(_ batch: Batch, dropout: inout SeededGenerator?, smoothing: Float) -> (losses: Tensor, rows: [Int]) {
        model.tokenLosses(batch, dropout: &dropout, smoothing: smoothing)
    }
}

/// A random Transformer whose output layer is scaled up, so that its distributions are
/// peaked and its translations vary in length.
private func peakedTransformer(seed: UInt64) -> TransformerModel {
    let model = tinyTransformer(seed: seed, size: 8, sourceVocabularySize: 15, targetVocabularySize: 12)
    model.trackGradients(false)
    model.outputWeight.data = model.outputWeight.data.map { $0 * 4 }
    return model
}

/// Random sources of 1 to 7 tokens, ids after the specials.
private func randomSources(count: Int, seed: UInt64) -> [[Int]] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in (0...(Int(generator.next() % 7))).map { _ in 4 + Int(generator.next() % 11) } }
}

struct TransformerSearchTests {
    let limit = LengthLimit(ratio: 1, extra: 3)

    /// Greedy search with the caches gives the words, log-probabilities and alignments of
    /// greedy search that recomputes the whole prefix at every step.
    @Test(arguments: [1, 2, 4] as [UInt64])
    func greedyWithCachesEqualsRecomputing(seed: UInt64) {
        let model = peakedTransformer(seed: seed)
        let batch = Batch(sources: randomSources(count: 6, seed: seed), indices: Array(0..<6))
        let cached = model.greedySearch(batch, limit: limit)
        let recomputed = UncachedTransformer(model: model).greedySearch(batch, limit: limit)
        #expect(Set(cached.map(\.tokens.count)).count > 1, "seed \(seed): all translations end at the same step")
        for (c, r) in zip(cached, recomputed) {
            #expect(c.tokens == r.tokens, "seed \(seed)")
            #expect(abs(c.logProbability - r.logProbability) < 1e-4, "seed \(seed)")
            for (x, y) in zip(c.alignment.joined(), r.alignment.joined()) { #expect(abs(x - y) < 1e-5) }
        }
    }

    /// Beam search with the caches (reordered and dropped through `selecting`) finds what
    /// beam search recomputing every prefix finds.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func beamWithCachesEqualsRecomputing(seed: UInt64) {
        let model = peakedTransformer(seed: seed)
        let batch = Batch(sources: randomSources(count: 5, seed: seed + 100), indices: Array(0..<5))
        let cached = model.beamSearch(batch, beamSize: 3, limit: limit)
        let recomputed = UncachedTransformer(model: model).beamSearch(batch, beamSize: 3, limit: limit)
        for (c, r) in zip(cached, recomputed) {
            #expect(c.tokens == r.tokens, "seed \(seed)")
            #expect(abs(c.logProbability - r.logProbability) < 1e-4, "seed \(seed)")
        }
    }

    /// Decoding with the weights packed (`forDecoding()`: the decoder layers' products and
    /// the output layer's through `PackedWeight`) finds the same words, with
    /// log-probabilities and alignments equal up to rounding, greedy and with a beam.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func packedWeightsFindTheSameTranslations(seed: UInt64) {
        let model = peakedTransformer(seed: seed)
        let packed = model.forDecoding()
        #expect(packed.output.packedWeight != nil && model.output.packedWeight == nil)
        #expect(zip(packed.namedParameters, model.namedParameters).allSatisfy { $0.name == $1.name && $0.tensor === $1.tensor })
        let batch = Batch(sources: randomSources(count: 6, seed: seed + 300), indices: Array(0..<6))
        for (expected, got) in [(model.greedySearch(batch, limit: limit), packed.greedySearch(batch, limit: limit)),
                                (model.beamSearch(batch, beamSize: 3, limit: limit),
                                 packed.beamSearch(batch, beamSize: 3, limit: limit))] {
            for (e, g) in zip(expected, got) {
                #expect(g.tokens == e.tokens, "seed \(seed)")
                #expect(abs(g.logProbability - e.logProbability) < 1e-4, "seed \(seed)")
                for (x, y) in zip(g.alignment.joined(), e.alignment.joined()) { #expect(abs(x - y) < 1e-5) }
            }
        }
    }

    /// With a beam of one, beam search is greedy search, to the last bit.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func beamOfOneIsGreedy(seed: UInt64) {
        let model = peakedTransformer(seed: seed)
        let batch = Batch(sources: randomSources(count: 6, seed: seed), indices: Array(0..<6))
        let greedy = model.greedySearch(batch, limit: limit)
        let beam = model.beamSearch(batch, beamSize: 1, alpha: 1, limit: limit)
        for (g, h) in zip(greedy, beam) {
            #expect(h.tokens == g.tokens, "seed \(seed)")
            #expect(h.logProbability == g.logProbability, "seed \(seed)")
            #expect(h.alignment == g.alignment, "seed \(seed)")
        }
    }

    /// A sentence's beam does not depend on the sentences decoded beside it.
    @Test(arguments: [1, 2] as [UInt64])
    func batchedBeamsMatchSentencesAlone(seed: UInt64) {
        let model = peakedTransformer(seed: seed)
        let sources = randomSources(count: 5, seed: seed + 200)
        let together = model.beamSearch(Batch(sources: sources, indices: Array(sources.indices)), beamSize: 3)
        for (i, source) in sources.enumerated() {
            let alone = model.beamSearch(Batch(sources: [source], indices: [0]), beamSize: 3)[0]
            #expect(together[i].tokens == alone.tokens, "sentence \(i), seed \(seed)")
            #expect(abs(together[i].logProbability - alone.logProbability) < 1e-3, "sentence \(i), seed \(seed)")
        }
    }

    /// Every decoder layer's heads reach the step, and the alignment is the last layer's
    /// mean over heads.
    @Test func stepGivesEveryLayerAndHead() {
        let model = peakedTransformer(seed: 4)
        var noDropout: SeededGenerator? = nil
        let batch = Batch(sources: [[4, 5, 6], [7]], indices: [0, 1])
        let memory = model.encode(source: batch.source, lengths: batch.sourceLengths, dropout: &noDropout)
        let step = model.decode(previous: [Vocabulary.bos, Vocabulary.bos], state: model.initialState(memory),
                                memory: memory)
        #expect(step.layers.map(\.shape) == [[2, 2, 4], [2, 2, 4]])
        let mean = step.layers[1].mean(axis: 1)
        #expect(step.alignment?.data == mean.data)
        #expect(abs(step.alignment!.data[4..<8].reduce(0, +) - 1) < 1e-5)
        #expect(step.alignment!.data[6..<8].allSatisfy { $0 == 0 }, "padding gets no weight")
    }
}
