/// From sentences to translations: tokenize, split into subwords, encode, search, decode, join, detokenize.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Synchronization
import Autodiff
import Files
import Text

/// One translated sentence, with what is needed to draw its alignment.
public struct Translation: Sendable {
    public var text: String
    /// The source tokens the model read: subwords, if it works on subwords.
    public var sourceTokens: [String]
    /// The output tokens (subwords, if the model works on subwords), without `</s>`.
    public var tokens: [String]
    /// Rows: output steps (tokens, then `</s>` if produced); columns: source tokens and `</s>`.
    public var alignment: [[Float]]
    /// Each head's alignment, per output step [head][source], for a model with several
    /// heads; empty otherwise (see ``Hypothesis/heads``).
    public var heads: [[[Float]]] = []
    public var logProbability: Float

    /// How many layers `heads` holds.
    public var headLayers = 0

    /// The labels of the alignment's columns: the source tokens, then `</s>`.
    public var alignedSourceTokens: [String] { sourceTokens + ["</s>"] }

    /// The labels of the alignment's rows (and the heads'): the output tokens, then `</s>`
    /// if the search reached it, which then has a row of its own.
    public var alignedTargetTokens: [String] {
        tokens + (max(alignment.count, heads.count) > tokens.count ? ["</s>"] : [])
    }

    /// Each head's matrix [output step][source], named `head i` (or `layer l, head i` for a
    /// model of several layers, counted from 1): `heads` turned inside out.
    public var headAlignments: [(name: String, weights: [[Float]])] {
        guard let count = heads.first?.count, headLayers > 0 else { return [] }
        let perLayer = count / headLayers
        return (0..<count).map { h in
            let name = headLayers == 1 ? "head \(h + 1)" : "layer \(h / perLayer + 1), head \(h % perLayer + 1)"
            return (name, heads.map { $0[h] })
        }
    }
    /// Tokens cut from the end of the source because it was longer than the translator
    /// was allowed to read; `sourceTokens` holds the ones translated.
    public var droppedSourceTokens = 0
    /// The beam's other translations, best first (empty for greedy search).
    public var alternatives: [Alternative] = []

    /// Another translation the beam kept, with the score it was ranked by.
    public struct Alternative: Sendable, Equatable {
        public var text: String
        /// log P / length^alpha, the beam's ranking score.
        public var score: Float
    }
}

/// A trained model with the vocabularies, tokenizer and subword units it was trained with.
public struct Translator {
    /// The model. Read from a checkpoint, it is the model as searches use it
    /// (`forDecoding()`), whose copies of weights would not follow a training; given as a
    /// model, it is that model itself, so a translator made before training steps
    /// translates with the weights they leave.
    public let model: any TranslationModel
    public let source: Vocabulary
    public let target: Vocabulary
    public let tokenizer: WordTokenizer
    /// The subword units of both sides, or `nil` for a model of whole words.
    public let subwords: BytePairEncoding?
    /// The weights file as it was when the model was read from it; `nil` for a model that
    /// was not read from a file. A translator keeps the weights it read: once a training in
    /// the same folder saves over the file, this is no longer current, and the
    /// translations are those of an older model than the file holds.
    public let weightsVersion: FileVersion?

    public init(model: any TranslationModel, source: Vocabulary, target: Vocabulary, lowercase: Bool,
                subwords: BytePairEncoding? = nil, weightsVersion: FileVersion? = nil) {
        self.model = model
        self.source = source
        self.target = target
        self.tokenizer = WordTokenizer(lowercase: lowercase)
        self.subwords = subwords
        self.weightsVersion = weightsVersion
    }

    /// Loads the translator saved in a checkpoint folder.
    public init(checkpoint: Checkpoint, weightsFile: String = "best.safetensors") throws {
        let loaded = try checkpoint.loadModel(weightsFile: weightsFile)
        self.init(model: loaded.model.forDecoding(), source: loaded.source, target: loaded.target,
                  lowercase: loaded.config.vocabulary.lowercase,
                  subwords: try checkpoint.readSubwords(for: loaded.config), weightsVersion: loaded.weights)
    }

    /// The tokens the model reads of a sentence (subwords, if it works on subwords), before
    /// any `maxSourceTokens` cut: what a length limit counts.
    public func sourceTokens(of sentence: String) -> [String] { tokens(of: [sentence])[0] }

    /// `sourceTokens(of:).count` as a function that other threads may call: it holds only
    /// the tokenizer and the subword merges, not the model.
    public var sourceTokenCounter: @Sendable (String) -> Int {
        let (tokenizer, subwords) = (tokenizer, subwords)
        return { Self.tokens(of: [$0], tokenizer: tokenizer, subwords: subwords)[0].count }
    }

    /// The tokens of each sentence, split into subwords if the model works on subwords.
    func tokens(of sentences: [String]) -> [[String]] {
        Self.tokens(of: sentences, tokenizer: tokenizer, subwords: subwords)
    }

    /// Words by `tokenizer`, then subwords by `subwords` if given.
    private static func tokens(of sentences: [String], tokenizer: WordTokenizer,
                               subwords: BytePairEncoding?) -> [[String]] {
        let words = sentences.map(tokenizer.tokenize)
        return subwords?.segment(words) ?? words
    }

    /// The detokenised text of a hypothesis, its subwords joined into words.
    func text(of hypothesis: Hypothesis) -> String {
        let tokens = target.decode(hypothesis.tokens)
        return tokenizer.detokenize(subwords == nil ? tokens : BytePairEncoding.join(tokens))
    }

    /// Translates `sentences` in batches, keeping their order; an empty (or all-blank)
    /// sentence translates to an empty one.
    ///
    /// Only the first `maxSourceTokens` tokens (subwords, for a model of subwords) of a
    /// sentence are translated (see ``Translation/droppedSourceTokens``): decoding time grows with the source length
    /// times the output length, which the length limit lets grow with the source, so one
    /// runaway line of thousands of words would otherwise hold up every line after it.
    public func translate(_ sentences: [String], beam: Int = 1, alpha: Float = 1,
                          limit: LengthLimit = LengthLimit(), batchSize: Int = 64,
                          maxSourceTokens: Int = .max) -> [Translation] {
        precondition(maxSourceTokens >= 1, "translate: maxSourceTokens must be at least 1")
        var results = tokens(of: sentences).map { tokens in
            Translation(text: "", sourceTokens: Array(tokens.prefix(maxSourceTokens)), tokens: [],
                        alignment: [], logProbability: 0,
                        droppedSourceTokens: max(0, tokens.count - maxSourceTokens))
        }
        let nonEmpty = results.indices.filter { !results[$0].sourceTokens.isEmpty }
        let encoded = nonEmpty.map { source.encode(results[$0].sourceTokens) }
        let batches = Batcher.decodingBatches(sources: encoded, batchSize: batchSize)
        let found = searchAll(batches, concurrently: batchSize > 1) { batch in
            beam <= 1
                ? model.greedySearch(batch, limit: limit)
                : model.beamSearch(batch, beamSize: beam, alpha: alpha, limit: limit)
        }
        for (batch, hypotheses) in zip(batches, found) {
            for (hypothesis, index) in zip(hypotheses, batch.indices) {
                let i = nonEmpty[index]
                results[i].tokens = target.decode(hypothesis.tokens)
                results[i].text = text(of: hypothesis)
                results[i].alignment = hypothesis.alignment
                results[i].heads = hypothesis.heads
                results[i].headLayers = hypothesis.headLayers
                results[i].logProbability = hypothesis.logProbability
                results[i].alternatives = hypothesis.alternatives.map {
                    Translation.Alternative(text: text(of: $0), score: $0.logProbability / powf(Float($0.tokens.count + 1), alpha))
                }
            }
        }
        return results
    }

    /// `search` of every batch, in order. With several threads and `inParallel`, the
    /// batches are searched at once, one per thread (`concurrently`), each thread taking
    /// the next batch not yet taken: a batch's steps are products of a few rows, which two
    /// cores split badly, while two batches keep both busy without waiting. Each batch's
    /// hypotheses are the ones it gets alone on one thread, whichever thread searched it.
    ///
    /// One sentence at a time, each step is a matrix–vector product that streams the
    /// whole output matrix from memory: split between the threads, each part is read once,
    /// while two sentences at once would each read all of it. Measured on test2016, the
    /// split product decodes 56 sentences/s and two sentences at once 38.
    private func searchAll(_ batches: [Batch], concurrently inParallel: Bool,
                           _ search: (Batch) -> [Hypothesis]) -> [[Hypothesis]] {
        var found = [[Hypothesis]](repeating: [], count: batches.count)
        let next = Atomic<Int>(0)
        found.withUnsafeMutableBufferPointer { found in
            concurrently(inParallel ? min(engineThreadCount, batches.count) : 1) { _ in
                while true {
                    let b = next.add(1, ordering: .relaxed).oldValue
                    guard b < batches.count else { return }
                    found[b] = search(batches[b])
                }
            }
        }
        return found
    }
}

extension Translator {
    /// The negative log-likelihood of each target sentence given its source (summed over
    /// its tokens and `</s>`), in order: how surprised the model is by a translation.
    public func score(sources: [String], targets: [String], batchSize: Int = 64) -> [Float] {
        precondition(sources.count == targets.count, "score: \(sources.count) sources, \(targets.count) targets")
        let pairs = zip(tokens(of: sources), tokens(of: targets)).map { (source.encode($0), target.encode($1)) }
        var scores = [Float](repeating: 0, count: pairs.count)
        for batch in Batcher(pairs: pairs, batchSize: batchSize).batchesInOrder() {
            for (loss, index) in zip(model.sentenceLosses(batch), batch.indices) { scores[index] = loss }
        }
        return scores
    }
}
