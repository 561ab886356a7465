/// A corpus made ready for training: tokenized, split into subwords, filtered, with vocabularies and ids.
import Files
import Text

public struct TrainingData {
    public let corpus: ParallelCorpus
    public let source: Vocabulary
    public let target: Vocabulary
    /// The subword units both sides are split into, or `nil` for whole words.
    public let subwords: BytePairEncoding?
    /// Each pair as ids, without specials.
    public let pairs: [(source: [Int], target: [Int])]

    /// Tokenizes `corpus` and leaves out pairs longer than `maxLength` words on either
    /// side, throwing if that leaves none. The vocabularies are counted from it unless
    /// given (as when resuming, or for validation data, which must use the training
    /// vocabularies).
    ///
    /// Words are split into subwords by `subwords` if given; otherwise, when counting
    /// vocabularies with `config.merges` above 0, by that many merges learned from the
    /// words of both sides of the kept pairs.
    public init(corpus: ParallelCorpus, tokenizer: WordTokenizer, maxLength: Int? = nil,
                vocabularies: (source: Vocabulary, target: Vocabulary)? = nil,
                subwords: BytePairEncoding? = nil,
                config: VocabularyConfig = VocabularyConfig()) throws(InputError) {
        let kept = maxLength.map { corpus.filtered(maxTokens: $0, tokenizer: tokenizer) } ?? corpus
        if let maxLength, kept.count == 0 {
            throw InputError(path: corpus.sourcePath, "no pair has at most \(maxLength) tokens on both sides "
                             + "(\(kept.longLinesSkipped) longer ones left out); raise --max-length")
        }
        var sources = kept.sources.map(tokenizer.tokenize)
        var targets = kept.targets.map(tokenizer.tokenize)
        let learns = vocabularies == nil && config.merges > 0
        self.subwords = subwords ?? (learns ? BytePairEncoding(learningFrom: sources + targets, merges: config.merges) : nil)
        if let split = self.subwords {
            sources = split.segment(sources)
            targets = split.segment(targets)
        }
        self.corpus = kept
        self.source = vocabularies?.source
            ?? Vocabulary(counting: sources, minFrequency: config.minFrequency, maxSize: config.maxSize)
        self.target = vocabularies?.target
            ?? Vocabulary(counting: targets, minFrequency: config.minFrequency, maxSize: config.maxSize)
        pairs = zip(sources, targets).map { [source, target] in (source.encode($0), target.encode($1)) }
    }

    /// Target tokens per epoch, `</s>` included: what tokens/s counts.
    public var targetTokens: Int { pairs.reduce(0) { $0 + $1.target.count + 1 } }
}
