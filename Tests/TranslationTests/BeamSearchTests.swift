/// Tests of beam search against greedy search, on hand-built models whose best
/// translations are known, and on random models.
import Foundation
import Testing
import Translation
@testable import Autodiff
@testable import Text

/// Target ids of the hand-built models: the four specials, then three words.
private let (a, b, c) = (4, 5, 6)
private let (bos, eos) = (Vocabulary.bos, Vocabulary.eos)

/// A `RNNModel` that is a bigram model: its next-word distribution depends on the previous
/// word alone, whatever the source and the decoder state.
///
/// The output layer computes `W_o [s_t ; c_t ; emb(y_{t-1})] + b_o`. With one-hot target
/// embeddings (E = V), zero weights on `s_t` and `c_t` and zero bias, the logits are the
/// column of `W_o` for the previous word; setting that column to log P(· | previous)
/// makes the softmax give P back exactly.
///
/// `probabilities[previous]` lists P(next | previous) for some words; the rest of the
/// probability is shared equally by the other words. A previous word not listed is
/// followed by every word equally often.
private func bigramModel(_ probabilities: [Int: [Int: Double]], vocabularySize v: Int = 7) -> RNNModel {
    var config = ModelConfig()
    (config.embeddingSize, config.encoderHiddenSize, config.decoderHiddenSize, config.attentionSize) = (v, 2, 3, 2)
    var generator = SeededGenerator(seed: 7)
    let model = RNNModel(config: config, sourceVocabularySize: 10, targetVocabularySize: v, generator: &generator)
    model.trackGradients(false)
    let embeddingColumn = config.decoderHiddenSize + 2 * config.encoderHiddenSize  // where emb(y_{t-1}) starts
    let inputs = embeddingColumn + v
    var weight = [Float](repeating: 0, count: v * inputs)
    for previous in 0..<v {
        let listed = probabilities[previous] ?? [:]
        let rest = (1 - listed.values.reduce(0, +)) / Double(v - listed.count)
        for next in 0..<v {
            weight[next * inputs + embeddingColumn + previous] = Float(log(listed[next] ?? rest))
        }
    }
    for (name, tensor) in model.namedParameters {
        switch name {
        case "decoder.embedding.weight":
            tensor.data = (0..<(v * v)).map { $0 / v == $0 % v ? 1 : 0 }
        case "output.weight": tensor.data = weight
        case "output.bias": tensor.data = [Float](repeating: 0, count: v)
        default: break
        }
    }
    return model
}

/// A model with random weights, its output layer scaled up so that its distributions are
/// peaked and its translations vary (some end early, some run to the length limit).
private func randomModel(seed: UInt64, attention: ModelConfig.Attention) -> RNNModel {
    var config = ModelConfig()
    (config.embeddingSize, config.encoderHiddenSize, config.decoderHiddenSize, config.attentionSize) = (6, 4, 5, 3)
    config.attention = attention
    if attention == .dot { config.decoderHiddenSize = 8 }
    (config.attentionHeads, config.attentionWindow, config.locationFilters, config.locationWidth) = (3, 2, 2, 3)
    var generator = SeededGenerator(seed: seed)
    let model = RNNModel(config: config, sourceVocabularySize: 15, targetVocabularySize: 12, generator: &generator)
    model.trackGradients(false)
    for (name, tensor) in model.namedParameters where name == "output.weight" {
        tensor.data = tensor.data.map { $0 * 12 }
    }
    return model
}

/// Random sources of 1 to 7 tokens, ids after the specials.
private func randomSources(count: Int, seed: UInt64) -> [[Int]] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        (0...(Int(generator.next() % 7))).map { _ in 4 + Int(generator.next() % 11) }
    }
}

struct BeamSearchTests {
    /// The first word greedy search takes, `a`, is likelier than `b` but leads only to
    /// unlikely continuations:
    ///
    ///     P(a | <s>) = 0.5   P(</s> | a) = 0.3   →  P(a </s>) = 0.15
    ///     P(b | <s>) = 0.4   P(</s> | b) = 0.9   →  P(b </s>) = 0.36
    ///
    /// Every other continuation of `a` has probability 0.7 / 6 < 0.3, so greedy search
    /// says "a"; a beam of two keeps `b` alive and finds "b", more than twice as likely.
    @Test func beamSearchFindsTheTranslationGreedySearchMisses() {
        let model = bigramModel([bos: [a: 0.5, b: 0.4], a: [eos: 0.3], b: [eos: 0.9]])
        let batch = Batch(sources: [[4, 5, 6]], indices: [0])

        let greedy = model.greedySearch(batch)[0]
        let beam = model.beamSearch(batch, beamSize: 2)[0]

        #expect(greedy.tokens == [a])
        #expect(abs(greedy.logProbability - Float(log(0.15))) < 1e-4)
        #expect(beam.tokens == [b])
        #expect(abs(beam.logProbability - Float(log(0.36))) < 1e-4)
        #expect(beam.logProbability > greedy.logProbability)
        // One row of attention weights per output step, `</s>` included, over the three
        // source tokens and `</s>`.
        #expect(beam.alignment.count == 2 && beam.alignment.allSatisfy { $0.count == 4 })
    }

    /// Two finished hypotheses: "a" (P = 0.55 · 0.3 = 0.165, two steps with `</s>`) and
    /// "b c" (P = 0.35 · 0.8 · 0.55 = 0.154, three steps). Raw log-probability (α = 0)
    /// prefers the short one; divided by length (α = 1), the long one wins, since its
    /// steps are on average more probable.
    @Test func lengthNormalisationDecidesBetweenShortAndLong() {
        let model = bigramModel([bos: [a: 0.55, b: 0.35], a: [eos: 0.3], b: [c: 0.8], c: [eos: 0.55]])
        let batch = Batch(sources: [[7]], indices: [0])

        let raw = model.beamSearch(batch, beamSize: 2, alpha: 0)[0]
        let normalised = model.beamSearch(batch, beamSize: 2, alpha: 1)[0]

        #expect(raw.tokens == [a])
        #expect(abs(raw.logProbability - Float(log(0.165))) < 1e-4)
        #expect(normalised.tokens == [b, c])
        #expect(abs(normalised.logProbability - Float(log(0.35 * 0.8 * 0.55))) < 1e-4)
    }

    /// At the second step the extensions rank "a c" (0.6 · 0.6 = 0.36), "a </s>" (0.21),
    /// "b </s>" (0.35 · 0.5 = 0.175), then the rest. Only the first two are among the best
    /// k = 2, so "b </s>" is not a finished translation: setting it aside too would make
    /// two and end the search before "a c </s>" (0.36 · 0.95 = 0.342, greedy search's
    /// own answer) could finish, returning "a", likelier by neither raw nor normalised score.
    @Test func anEndingBelowTheBeamDoesNotFinishTheSearch() {
        let model = bigramModel([bos: [a: 0.6, b: 0.35], a: [c: 0.6, eos: 0.35], b: [eos: 0.5], c: [eos: 0.95]])
        let batch = Batch(sources: [[4, 5]], indices: [0])

        let greedy = model.greedySearch(batch)[0]
        for alpha: Float in [0, 1] {
            let beam = model.beamSearch(batch, beamSize: 2, alpha: alpha)[0]
            #expect(greedy.tokens == [a, c])
            #expect(beam.tokens == [a, c], "alpha \(alpha)")
            #expect(abs(beam.logProbability - Float(log(0.6 * 0.6 * 0.95))) < 1e-4, "alpha \(alpha)")
        }
    }

    /// A model that never says `</s>` stops at the length limit, with `</s>` forced there.
    @Test func stopsAtTheLengthLimit() {
        let model = bigramModel([bos: [a: 0.9], a: [a: 0.9]])
        let batch = Batch(sources: [[4, 5]], indices: [0])
        let limit = LengthLimit(ratio: 1, extra: 2)  // 2 source tokens → at most 4 words

        for k in [1, 3] {
            let hypothesis = model.beamSearch(batch, beamSize: k, limit: limit)[0]
            #expect(hypothesis.tokens == [a, a, a, a], "beam \(k)")
            #expect(hypothesis.alignment.count == 5, "beam \(k): four words and </s>")
        }
    }

    /// With a beam of one, beam search is greedy search: the same words, the same
    /// log-probability to the last bit and the same alignments (each head's too),
    /// sentence by sentence in a batch of different lengths, for every attention kind.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func beamOfOneIsGreedy(seed: UInt64) {
        for attention in ModelConfig.Attention.allCases {
            let model = randomModel(seed: seed, attention: attention)
            let batch = Batch(sources: randomSources(count: 6, seed: seed), indices: Array(0..<6))
            let limit = LengthLimit(ratio: 1, extra: 3)

            let greedy = model.greedySearch(batch, limit: limit)
            let beam = model.beamSearch(batch, beamSize: 1, alpha: 1, limit: limit)

            for (g, h) in zip(greedy, beam) {
                #expect(h.tokens == g.tokens, "\(attention), seed \(seed)")
                #expect(h.logProbability == g.logProbability, "\(attention), seed \(seed)")
                #expect(h.alignment == g.alignment, "\(attention), seed \(seed)")
                #expect(h.heads == g.heads, "\(attention), seed \(seed)")
                #expect(h.heads.isEmpty == (attention != .multiHead), "\(attention), seed \(seed)")
            }
        }
    }

    /// Greedy search drops a sentence from the batch once it has said `</s>`; the
    /// sentences left go on exactly as they would alone. The batch mixes translations of
    /// different lengths, so rows leave at different steps.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func batchedGreedyMatchesSentencesAlone(seed: UInt64) {
        let model = randomModel(seed: seed, attention: .additive)
        let sources = randomSources(count: 8, seed: seed + 200)
        let together = model.greedySearch(Batch(sources: sources, indices: Array(sources.indices)))
        #expect(Set(together.map(\.tokens.count)).count > 1, "seed \(seed): all translations end at the same step")

        for (i, source) in sources.enumerated() {
            let alone = model.greedySearch(Batch(sources: [source], indices: [0]))[0]
            #expect(together[i].tokens == alone.tokens, "sentence \(i), seed \(seed)")
            #expect(abs(together[i].logProbability - alone.logProbability) < 1e-3, "sentence \(i), seed \(seed)")
            #expect(together[i].alignment.count == alone.alignment.count, "sentence \(i), seed \(seed)")
        }
    }

    /// A sentence's translation does not depend on the sentences decoded beside it: the
    /// padding of shorter sentences is masked, and each sentence's beam is its own.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func batchedBeamsMatchSentencesAlone(seed: UInt64) {
        let model = randomModel(seed: seed, attention: .additive)
        let sources = randomSources(count: 5, seed: seed + 100)
        let together = model.beamSearch(Batch(sources: sources, indices: Array(sources.indices)), beamSize: 3)

        for (i, source) in sources.enumerated() {
            let alone = model.beamSearch(Batch(sources: [source], indices: [0]), beamSize: 3)[0]
            #expect(together[i].tokens == alone.tokens, "sentence \(i), seed \(seed)")
            #expect(abs(together[i].logProbability - alone.logProbability) < 1e-3, "sentence \(i), seed \(seed)")
        }
    }
}
