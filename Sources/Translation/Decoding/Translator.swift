/// From sentences to translations: tokenize, split into subwords, encode, search, decode, join, detokenize.
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
    /// Tokens cut from the end of the source because it was longer than the translator
    /// was allowed to read; `sourceTokens` holds the ones translated.
    public var droppedSourceTokens = 0
}

/// A trained model with the vocabularies, tokenizer and subword units it was trained with.
public struct Translator {
    public let model: any TranslationModel
    public let source: Vocabulary
    public let target: Vocabulary
    public let tokenizer: WordTokenizer
    /// The subword units of both sides, or `nil` for a model of whole words.
    public let subwords: BytePairEncoding?

    public init(model: any TranslationModel, source: Vocabulary, target: Vocabulary, lowercase: Bool,
                subwords: BytePairEncoding? = nil) {
        self.model = model
        self.source = source
        self.target = target
        self.tokenizer = WordTokenizer(lowercase: lowercase)
        self.subwords = subwords
    }

    /// Loads the translator saved in a checkpoint folder.
    public init(checkpoint: Checkpoint, weightsFile: String = "best.safetensors") throws {
        let loaded = try checkpoint.loadModel(weightsFile: weightsFile)
        self.init(model: loaded.model, source: loaded.source, target: loaded.target,
                  lowercase: loaded.config.vocabulary.lowercase,
                  subwords: try checkpoint.readSubwords(for: loaded.config))
    }

    /// The tokens of each sentence, split into subwords if the model works on subwords.
    func tokens(of sentences: [String]) -> [[String]] {
        let words = sentences.map(tokenizer.tokenize)
        return subwords?.segment(words) ?? words
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
        for batch in Batcher.decodingBatches(sources: encoded, batchSize: batchSize) {
            let hypotheses = beam <= 1
                ? model.greedySearch(batch, limit: limit)
                : model.beamSearch(batch, beamSize: beam, alpha: alpha, limit: limit)
            for (hypothesis, index) in zip(hypotheses, batch.indices) {
                let tokens = target.decode(hypothesis.tokens)
                let i = nonEmpty[index]
                results[i].tokens = tokens
                results[i].text = tokenizer.detokenize(subwords == nil ? tokens : BytePairEncoding.join(tokens))
                results[i].alignment = hypothesis.alignment
                results[i].heads = hypothesis.heads
                results[i].logProbability = hypothesis.logProbability
            }
        }
        return results
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
